#!/bin/sh
# Builds the fuzz targets outside the autotools build.
#
#   tests/fuzz/build.sh OUTDIR            clang, libFuzzer, ASan and UBSan
#                                         (FUZZ_SAN= other sanitizer flags):
#                                         for long runs (see run-libfuzzer.sh)
#   tests/fuzz/build.sh --driver OUTDIR   $CC (default cc) with the standalone
#                                         driver; FUZZ_SANITIZE=1 adds ASan
#                                         and UBSan
#   tests/fuzz/build.sh --coverage OUTDIR the driver build with gcov
#                                         instrumentation (see coverage.sh)
#
# The core is every src/*.c but main.c: what src/liblogonhunt.a holds, so
# the targets test the same code as the program. Needs the libraries the
# program needs (libcsv, cJSON, libcidr, zlib, libdeflate, libmaxminddb); for libFuzzer, clang and
# its runtime (Debian: clang, libclang-rt-14-dev or the clang-14 package).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
mode=libfuzzer
case "${1:-}" in
--driver) mode=driver; shift ;;
--coverage) mode=coverage; shift ;;
esac
out=${1:?usage: build.sh [--driver|--coverage] OUTDIR}
mkdir -p "$out/obj"
out=$(cd "$out" && pwd)

targets="csvload csvdiff json expand ts excl rule import intel ranges ledger session gzip"

cat > "$out/config.h" <<'EOT'
#define _GNU_SOURCE 1
#define PACKAGE_VERSION "0.1.0"
EOT

srcs=$(cd "$top" && ls src/*.c | grep -v '^src/main\.c$')

libs="$(pkg-config --libs libcjson zlib libdeflate libmaxminddb 2>/dev/null || echo -lcjson -lz -ldeflate -lmaxminddb) -lcsv -lcidr -lpthread -lm"
incs="-I$out -I$top/src -I$top/tests/fuzz $(pkg-config --cflags libcjson zlib 2>/dev/null || true)"

if [ $mode = libfuzzer ]; then
	CC=${CC:-clang}
	# FUZZ_SAN overrides the sanitizers: e.g. UBSan alone runs several
	# times faster, for a top-up run whose corpus ASan then replays.
	san=${FUZZ_SAN-"-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"}
	cflags="-std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter $san -fsanitize=fuzzer-no-link"
	ldflags="$san -fsanitize=fuzzer"
	driver=
elif [ $mode = coverage ]; then
	CC=${CC:-gcc}
	cflags="-std=gnu11 -g -O0 --coverage"
	ldflags="--coverage"
	driver="$out/obj/driver.o"
	$CC $cflags $incs -c "$top/tests/fuzz/driver.c" -o "$driver"
else
	CC=${CC:-cc}
	san=
	if [ "${FUZZ_SANITIZE:-0}" = 1 ]; then
		san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
	fi
	cflags="-std=gnu11 -g -O2 -Wall -Wextra -Wno-unused-parameter $san"
	ldflags="$san"
	driver="$out/obj/driver.o"
	$CC $cflags $incs -c "$top/tests/fuzz/driver.c" -o "$driver"
fi

objs=
for s in $srcs; do
	o="$out/obj/$(basename "$s" .c).o"
	$CC $cflags $incs -DLH_DATADIR='"/usr/share/logonhunt"' -c "$top/$s" -o "$o"
	objs="$objs $o"
done
$CC $cflags $incs -c "$top/tests/fuzz/fuzz_util.c" -o "$out/obj/fuzz_util.o"
built=
for t in $targets; do
	[ -f "$top/tests/fuzz/fuzz_$t.c" ] || continue
	$CC $cflags $incs -c "$top/tests/fuzz/fuzz_$t.c" -o "$out/obj/fuzz_$t.o"
	# shellcheck disable=SC2086
	$CC $ldflags -o "$out/fuzz_$t" "$out/obj/fuzz_$t.o" "$out/obj/fuzz_util.o" \
		$driver $objs $libs
	built="$built fuzz_$t"
done
echo "built in $out:$built"
