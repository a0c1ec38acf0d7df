#!/usr/bin/env bash
# Re-record the seed corpora of fuzz_platform and fuzz_sim (README.md,
# "Seeds") with fuzz_platform_record: one session per protocol, Base
# included, against the simulator's platform as it is and (name "-small")
# cut to 2 domains, clocks... per protocol -- the short seeds make the fast
# mutants, the full ones bring the variety of domains --, for both simulator
# profiles, a few option variants, and one session with every SCMI 2.0
# protocol.  Hand-made and regression seeds (base-only, regress-*) are left
# alone.  The raw-* seeds play a raw script too (fuzz_platform.c, "raw
# sessions").
#
#   tests/fuzz/record-seeds.sh [BUILD_DIR]      (default: build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/../.."

R=${1:-build-fuzz}/tests/fuzz/fuzz_platform_record
P=tests/fuzz/corpus/fuzz_platform
S=tests/fuzz/corpus/fuzz_sim
MAX=2 # domains per protocol
mkdir -p "$P" "$S"

declare -A ids=([power]=0x11 [system]=0x12 [perf]=0x13 [clock]=0x14 [sensor]=0x15
	[reset]=0x16 [voltage]=0x17 [powercap]=0x18 [pinctrl]=0x19)

rec() { # name profile max_list_items options protocols [max_domains]
	"$R" "$P/$1" "$2" "$3" "$4" "$S/$1" "$5" "${6:-0}" >/dev/null
}

for p in power system perf clock sensor reset voltage powercap pinctrl; do
	rec "newest-$p" newest 0 0 "${ids[$p]}"
done
for p in power perf clock reset voltage powercap; do # the others are not cut
	rec "newest-$p-small" newest 0 0 "${ids[$p]}" "$MAX"
done
for p in power system perf clock sensor reset; do # the protocols SCMI 2.0 has
	rec "scmi-2.0-$p" scmi-2.0 0 0 "${ids[$p]}" "$MAX"
done
rec scmi-2.0-all scmi-2.0 0 0 - "$MAX"
# Options (fuzz_platform.c): b0 polling, b[4:3] event queue depth (4, 1,
# 16, the library's default).
rec newest-perf-list1-polling newest 1 0x01 "${ids[perf]}" "$MAX"
rec newest-clock-list1-depth1 newest 1 0x08 "${ids[clock]}" "$MAX"
rec scmi-2.0-sensor-polling-depth256 scmi-2.0 0 0x19 "${ids[sensor]}" "$MAX"

# Raw sessions (options b5; the script's format: fuzz_platform.c, "raw
# sessions"), Clock cut to 2 clocks: depth 4, subscribe to everything;
# blocking commands (Base version and vendor into 4 and 3 bytes, Clock
# version polled, Base attributes through scmi_raw_command()); two
# asynchronous CLOCK_RATE_SETs and a RATE_GET submitted, flushed; reads
# (errors, either), pending, unsubscribe; SCMI_RAW_POLL submitted (refused);
# a RATE_SET then reset, another then reopen (depth 1); a blocking
# asynchronous RATE_SET; reads; subscribe again.  "-held": the delayed
# responses of the submitted commands held back by the platform
# (FUZZ_RECORD_HOLD), so that reset and reopen cancel them and they come
# late.
RATE_SET0=0100000000000000""00e1f50500000000 # flags async, clock 0, 100 MHz
RATE_SET1=0100000001000000""00e1f50500000000
RAW="0402ffff""0010003300""0010030200""1014000b00""2010010d00"
RAW+="0914057b10$RATE_SET0""0914057b10$RATE_SET1""0114060b0400000000""0400"
RAW+="0b40""13ff""06""0affff""1110000000""0914057b10$RATE_SET0""05"
RAW+="0914057b10$RATE_SET1""0701""0814057710$RATE_SET0""2b00""33ff""02ffff"
"$R" "$P/raw-clock" newest 0 0x20 - "${ids[clock]}" "$MAX" "$RAW" >/dev/null
FUZZ_RECORD_HOLD=1 "$R" "$P/raw-clock-held" newest 0 0x20 - "${ids[clock]}" "$MAX" "$RAW" >/dev/null

# fuzz_sim: the agent writing to the fastchannel windows it was given (after
# the Perf and Powercap sessions described them), each write followed by a
# poll: items [flags=poll|memory][0][0][6][le16 offset][le32 value].
for p in perf powercap; do
	cp "$S/newest-$p-small" "$S/newest-$p-fastchannel-writes"
	for off in $(seq 0 4 124); do
		printf "\\x06\\x00\\x00\\x06\\x$(printf %02x $((off & 255)))\\x00\\x$(printf %02x $(((1000 + off) & 255)))\\x$(printf %02x $(((1000 + off) >> 8)))\\x00\\x00" \
			>>"$S/newest-$p-fastchannel-writes"
	done
done
ls -l "$P" "$S"
