package io.github.panamasockets.api;

import io.github.panamasockets.bindings.tm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_POINTER;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The C library companion against glibc: each case is run by a C program compiled now and by the
 * companion, and the two must print the same line (return value, errno, and every byte written,
 * in hex, including the bytes just past what was written).
 */
@ExtendWith(NoLeaks.class)
class CLibraryMatchesCTest {

    /** The cases: a C statement block printing one line, and the Java that must print the same. */
    private static final class Cases {
        final List<String> c = new ArrayList<>();
        final List<Supplier<String>> java = new ArrayList<>();
        final List<String> what = new ArrayList<>();

        void add(String what, String cBlock, Supplier<String> javaLine) {
            this.what.add(what);
            c.add(cBlock);
            java.add(javaLine);
        }

        String program() {
            StringBuilder s = new StringBuilder("""
                    #define _GNU_SOURCE
                    #include <errno.h>
                    #include <limits.h>
                    #include <locale.h>
                    #include <math.h>
                    #include <stdio.h>
                    #include <stdlib.h>
                    #include <string.h>
                    #include <strings.h>
                    #include <time.h>
                    static unsigned char buf[4096];
                    static union { unsigned char b[32]; long l; } t[6];
                    static void hex(const void *p, size_t n) { for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *) p)[i]); }
                    static void dump(int r, size_t size) { printf("%d\\t", r); hex(buf, (size == 0 ? 0 : ((size_t) r + 1 < size ? (size_t) r + 1 : size)) + 2); }
                    static void dumpt(int r, int n) { printf("%d", r); for (int k = 0; k < n; k++) { putchar('\\t'); hex(t[k].b, 32); } }
                    static long off(const char *p, const char *base) { return p == NULL ? -1 : (long) (p - base); }
                    static int sgn(int v) { return v; }
                    """);
            int per = 400;
            for (int f = 0; f * per < c.size(); f++) {
                s.append("static void part").append(f).append("(void) {\n    int r; long lr; unsigned long ur; char *end; (void) r; (void) lr; (void) ur; (void) end;\n");
                for (int k = f * per; k < Math.min(c.size(), (f + 1) * per); k++)
                    s.append("    printf(\"%d\\t\", ").append(k).append("); { ").append(c.get(k)).append(" } putchar('\\n');\n");
                s.append("}\n");
            }
            s.append("int main(void) {\n    /* no setlocale(): the C locale, as the companion's texts are */\n");
            for (int f = 0; f * per < c.size(); f++) s.append("    part").append(f).append("();\n");
            s.append("    return 0;\n}\n");
            return s.toString();
        }
    }

    // ---- C literals of Java values -----------------------------------------------------------

    static String cstr(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            int v = x & 0xff;
            if (v >= 0x20 && v < 0x7f && v != '"' && v != '\\' && v != '?') s.append((char) v);
            else s.append(String.format("\\%03o", v));
        }
        return s.append('"').toString();
    }

    static String cstr(String s) {
        return cstr(s.getBytes(StandardCharsets.UTF_8));
    }

    static String carg(Object a, boolean longDouble) {
        if (a == null) return "(char *) 0";
        if (a instanceof Integer i) return i == Integer.MIN_VALUE ? "(-2147483647 - 1)" : "(int) (" + i + ")";
        if (a instanceof Long l) return l == Long.MIN_VALUE ? "(-9223372036854775807L - 1)" : "(long) (" + l + "L)";
        if (a instanceof Short h) return "(short) (" + h + ")";
        if (a instanceof Byte b) return "(signed char) (" + b + ")";
        if (a instanceof Character ch) return "(int) " + (int) ch;
        if (a instanceof String str) return cstr(str);
        if (a instanceof Double d) return (longDouble ? "(long double) " : "") + cdouble(d);
        if (a instanceof Float f) return "(float) " + cdouble(f.doubleValue());
        throw new AssertionError(a);
    }

    static String cdouble(double d) {
        boolean neg = (Double.doubleToRawLongBits(d) & Long.MIN_VALUE) != 0;
        if (Double.isNaN(d)) return neg ? "(-NAN)" : "NAN";
        if (Double.isInfinite(d)) return neg ? "(-INFINITY)" : "INFINITY";
        return "(" + Double.toHexString(d) + ")";
    }

    static String hex(MemorySegment s, long n) {
        return HexFormat.of().formatHex(s.asSlice(0, n).toArray(JAVA_BYTE));
    }

    static MemorySegment bytes(Arena arena, byte[] b) {
        MemorySegment s = arena.allocate(b.length + 1);
        MemorySegment.copy(b, 0, s, JAVA_BYTE, 0, b.length);
        return s;
    }

    // ---- printf --------------------------------------------------------------------------------

    private static void snprintfCase(Cases cases, Arena arena, MemorySegment buf, int size, String format, Object... args) {
        StringBuilder c = new StringBuilder("memset(buf, 0x5a, sizeof buf); r = snprintf((char *) buf, " + size + ", " + cstr(format));
        boolean longDouble = format.contains("L");
        for (Object a : args) c.append(", ").append(carg(a, longDouble));
        c.append("); dump(r, ").append(size).append(");");
        cases.add("snprintf(buf, " + size + ", \"" + format + "\", " + java.util.Arrays.toString(args) + ")", c.toString(), () -> {
            buf.fill((byte) 0x5a);
            int r = snprintf(buf, size, format, args);
            long n = (size == 0 ? 0 : Math.min(r + 1L, size)) + 2;
            return r + "\t" + hex(buf, n);
        });
    }

    static final String[] INT_FLAGS = {"", "-", "+", " ", "#", "0", "-0", "+ ", "#0", "-#", "0+", " 0"};
    static final String[] WIDTHS = {"", "1", "6", "20", "*", "*"};
    static final String[] INT_PRECISIONS = {"", ".", ".0", ".1", ".5", ".25", ".*", ".*"};
    static final Object[][] INT_VALUES = {
            {0, 1, -1, 42, -42, Integer.MAX_VALUE, Integer.MIN_VALUE, 255, 65535, 123456789, 'A', 7L, (short) -3, (byte) 100},
            {0, 127, -128, 300, -1, 255},
            {0, 32767, -32768, 70000, -1, 65535},
            {0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 4294967296L, -123456789012L, 42},
    };
    static final String[] LENGTHS = {"", "hh", "h", "l", "ll", "z", "j", "t"};

    static Object[] intValues(String length) {
        return switch (length) { case "" -> INT_VALUES[0]; case "hh" -> INT_VALUES[1]; case "h" -> INT_VALUES[2]; default -> INT_VALUES[3]; };
    }

    static final double[] DOUBLES = {0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 2.675, 1e300, -1e-300, 123.456, 1e-5, 9.9999995,
            0.05, 1.0 / 3, Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL, Double.NaN, -Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 100, 1e15, 999999.5, 0.000123456, 0.0001, 0.00001, 123456, 1234567, 9.9999995e-5, 1e6, 5e-324,
            0.999999951, 99.5, 0.95, 1e21, 4.35, 1e-7};
    static final String[] FLOAT_FLAGS = {"", "-", "+", " ", "#", "0", "-0", "+0", "#0", " #"};
    static final String[] FLOAT_WIDTHS = {"", "1", "12", "30", "*"};
    static final String[] FLOAT_PRECISIONS = {"", ".", ".0", ".1", ".2", ".6", ".10", ".17", ".30", ".*"};
    static final String[] FLOAT_CONVERSIONS = {"f", "F", "e", "E", "g", "G", "a", "A"};

    /** The arguments of one conversion: its * width and * precision first, then the value. */
    static List<Object> withStars(String width, String precision, Object value, Random random) {
        List<Object> args = new ArrayList<>();
        if (width.equals("*")) args.add(random.nextBoolean() ? 9 : -9);
        if (precision.equals(".*")) args.add(random.nextBoolean() ? 3 : -1);
        args.add(value);
        return args;
    }

    private static void printfCases(Cases cases, Arena arena) {
        MemorySegment buf = arena.allocate(4096);
        Random random = new Random(20261130);
        // every integer conversion, length and edge value, plain
        for (String conv : new String[] {"d", "i", "u", "o", "x", "X"})
            for (String length : LENGTHS)
                for (Object v : intValues(length)) snprintfCase(cases, arena, buf, 4096, "[%" + length + conv + "]", v);
        // flags, widths and precisions, a seeded sample of all their combinations
        for (int k = 0; k < 2500; k++) {
            String conv = new String[] {"d", "i", "u", "o", "x", "X"}[random.nextInt(6)];
            String length = LENGTHS[random.nextInt(LENGTHS.length)];
            Object[] values = intValues(length);
            String flags = INT_FLAGS[random.nextInt(INT_FLAGS.length)], width = WIDTHS[random.nextInt(WIDTHS.length)],
                    precision = INT_PRECISIONS[random.nextInt(INT_PRECISIONS.length)];
            List<Object> args = withStars(width, precision, values[random.nextInt(values.length)], random);
            snprintfCase(cases, arena, buf, 4096, "<%" + flags + width + precision + length + conv + ">", args.toArray());
        }
        // every double with every conversion and precision, plain
        for (double d : DOUBLES)
            for (String conv : FLOAT_CONVERSIONS)
                for (String precision : FLOAT_PRECISIONS) {
                    if (precision.equals(".*")) continue;
                    snprintfCase(cases, arena, buf, 4096, "%" + precision + conv, d);
                }
        for (int k = 0; k < 1500; k++) {
            String conv = FLOAT_CONVERSIONS[random.nextInt(FLOAT_CONVERSIONS.length)];
            String flags = FLOAT_FLAGS[random.nextInt(FLOAT_FLAGS.length)], width = FLOAT_WIDTHS[random.nextInt(FLOAT_WIDTHS.length)],
                    precision = FLOAT_PRECISIONS[random.nextInt(FLOAT_PRECISIONS.length)];
            String length = new String[] {"", "", "l", "L"}[random.nextInt(4)];
            if (conv.equalsIgnoreCase("a") && length.equals("L")) length = ""; // %La prints a long double's own digits
            Object value = random.nextInt(8) == 0 ? (Object) (float) DOUBLES[random.nextInt(DOUBLES.length)] : (Object) DOUBLES[random.nextInt(DOUBLES.length)];
            if (length.equals("L") && value instanceof Float f) value = f.doubleValue();
            List<Object> args = withStars(width, precision, value, random);
            snprintfCase(cases, arena, buf, 4096, "|%" + flags + width + precision + length + conv + "|", args.toArray());
        }
        // random doubles of every magnitude, %.17g and %e and %f: the exact expansion and its rounding
        for (int k = 0; k < 300; k++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d)) continue;
            snprintfCase(cases, arena, buf, 4096, "%.17g %.3e %.0e %g %a %.3a %.0A", d, d, d, d, d, d, d);
            if (Math.abs(d) < 1e25) snprintfCase(cases, arena, buf, 4096, "%f %.1f %.20f", d, d, d);
        }
        for (int k = 0; k < 200; k++) { // halfway cases in decimal: n + 0.5 and n/8 print at their ties
            double d = random.nextInt(2000) / 8.0 - 125;
            snprintfCase(cases, arena, buf, 4096, "%.0f %.1f %.2f %.0e %.1e %.1g %.2g", d, d, d, d, d, d, d);
        }
        // characters, strings, NULL, %%, %p of NULL
        for (Object c : new Object[] {'A', 65, 300, -1, (byte) -3, 0x7f, '~'})
            for (String f : new String[] {"%c", "[%3c]", "[%-3c]", "%hhd%c"})
                snprintfCase(cases, arena, buf, 4096, f, f.equals("%hhd%c") ? new Object[] {c, c} : new Object[] {c});
        for (String s : new String[] {"hello", "", "héllo wörld", "a\tb", "x".repeat(100), "ab\0cd", "\0abc"})
            for (String f : new String[] {"%s", "[%10s]", "[%-10s]", "[%.0s]", "[%.2s]", "[%.5s]", "[%8.3s]", "[%-8.3s]", "[%*s]", "[%.*s]", "[%1s]"})
                snprintfCase(cases, arena, buf, 4096, f, f.contains("*") ? new Object[] {4, s} : new Object[] {s});
        for (String f : new String[] {"%s", "[%10s]", "[%.3s]", "[%.6s]", "[%-8s]", "[%.10s]"})
            snprintfCase(cases, arena, buf, 4096, f, (Object) null);
        snprintfCase(cases, arena, buf, 4096, "100%% [%p] [%10p] [%-10p] [%08p] [%+8p]", null, null, null, null, null);
        snprintfCase(cases, arena, buf, 4096, "[%05s][%05c][%-05s][%5%][%-5%][%#.0o][%#.0x][%+u][% u]", "ab", 'x', "cd", 0, 0, 5, 5);
        snprintfCase(cases, arena, buf, 4096, "no conversions at all\n");
        // each at one comparison's boundary: a 9 in a width or precision, a * precision of 0, a NULL
        // string at precision 0, %a at 12 and 13 hex digits and at a tie after an odd digit, a
        // two-digit exponent of 10, %#g where rounding carries into the next power of ten
        snprintfCase(cases, arena, buf, 4096, "[%9d][%.9f][%19s][%.9e][%99d]", 7, 0.5, "s", 2.0, 1);
        snprintfCase(cases, arena, buf, 4096, "[%.*d][%.*s][%.*f][%.*x][%*d]", 0, 0, 0, "abc", 0, 1.5, 0, 0, 0, 5);
        snprintfCase(cases, arena, buf, 4096, "[%.0s][%.5s][%.6s]", null, null, null);
        for (double d : new double[] {1.0, 1.09375, 1.03125, Math.PI, 0x1.fffffffffffffp0, 0x1.0000000000001p0, Double.MIN_VALUE})
            snprintfCase(cases, arena, buf, 4096, "%.13a %.12a %.1a %.0a %.14a", d, d, d, d, d);
        for (double d : new double[] {1e10, 1e-10, 1e9, 1.5e10, 9.99999e9, 1e-9})
            snprintfCase(cases, arena, buf, 4096, "%e %E %.0e %g", d, d, d, d);
        for (double d : new double[] {999999.5, 9.5, 99.5, 0.95, 9999.5, 99999.95, 999999.4})
            snprintfCase(cases, arena, buf, 4096, "%#g %#.6g %#.1g %#.2g %#G %#.4g %#.0g %g %.1g", d, d, d, d, d, d, d, d, d);
        for (int e : new int[] {0, EINTR, EADDRINUSE, ECONNREFUSED, 9999, -1}) // %m: strerror(errno)
            for (String f : new String[] {"bind: %m", "[%30m]", "[%-30m|%.5m]"}) {
                cases.add("errno " + e + " \"" + f + "\"", "memset(buf, 0x5a, sizeof buf); errno = " + e + "; r = snprintf((char *) buf, 4096, " + cstr(f) + "); dump(r, 4096);",
                        () -> {
                            buf.fill((byte) 0x5a);
                            errno(e);
                            int r = snprintf(buf, 4096, f);
                            errno(0);
                            return r + "\t" + hex(buf, Math.min(r + 1L, 4096) + 2);
                        });
            }
        snprintfCase(cases, arena, buf, 4096, "client %s:%d sent %zd bytes (%.1f%%) at %5.2fs", "127.0.0.1", 50000, 4096L, 99.95, 0.125);
        // truncation: every size from 0 up to past the text; the return value is the full length
        for (int size = 0; size <= 24; size++) {
            snprintfCase(cases, arena, buf, size, "hello %s %d", "world", 12345);
            snprintfCase(cases, arena, buf, size, "%08.3f|%-6x|", -3.14159, 255);
        }
        snprintfCase(cases, arena, buf, 1, "");
        snprintfCase(cases, arena, buf, 3, "%s", "x".repeat(3000));
        // %n stores the count so far, as an int, a char (hh), a short (h), a long (l)
        for (String n : new String[] {"n", "hhn", "hn", "ln"}) {
            String format = "abc%" + n + "%.300d%" + n;
            cases.add("%" + n, "memset(t, 0x55, sizeof t); memset(buf, 0x5a, sizeof buf); r = snprintf((char *) buf, sizeof buf, " + cstr(format)
                    + ", (void *) t[0].b, 7, (void *) t[1].b); dumpt(r, 2);", () -> {
                MemorySegment a = arena.allocate(32).fill((byte) 0x55), b = arena.allocate(32).fill((byte) 0x55);
                int r = snprintf(buf, 4096, format, a, 7, b);
                return r + "\t" + hex(a, 32) + "\t" + hex(b, 32);
            });
        }
    }

    // ---- sscanf ----------------------------------------------------------------------------------

    static final String[] SCAN_INPUTS = {"", "   ", "42", "-17 abc", "0x1F", "0777", "+", "-", "12345678901234567890", "abc def", "a,b",
            "3.14", " 0x", "0xg", "2147483648", "-2147483649", "99999999999999999999999", "  +12a", "ff:ee:dd", "key=value; x=1",
            "GET /index.html HTTP/1.0", "%42", "1 2 3", "-0", "zz", "-1.5e3x", "1e", "1e+", ".5", ".", "0x1.8p3", "0x", "nan", "-INF", "infinity",
            "infinit", "1e400", "1e-400", "0.1", "123456789.123456789e-3", "  -0.0", "1.4e-45", "3.4028235e38", "0X1P-1074", "1.5.5", "2e5e5", "+.e1", "0x.8", "0x.", "0x.p1", "-0x", "0x1p", "0x1p+"};
    static final String[] SCAN_FORMATS = {"%d", "%i", "%u", "%x", "%X", "%o", "%2d", "%s", "%3s", "%c", "%3c", "%[a-z]", "%[^,],%s",
            "%d%n", "%*d %d", "%hhd", "%hd", "%ld", "%lld", "%lu", "abc%d", "%d abc", "%%%d", "%5[0-9a-f]x", "%[^=]=%[^;]; x=%d",
            "%s %s %s", "%x:%x:%x", "%d %d %d %n", "%n", " %n%d", "%3i", "%*s %n%s", "%[]a-]", "%[^ ]%*[ ]%[^ ]", "%lx", "%hhu", "%c%c%c%c", "%f", "%lf",
            "%e", "%g", "%4f", "%2lf", "%*f %lf", "%a", "%lf%n", "%3lf%n", "%lf %d"};

    static int pointers(String format) {
        int n = 0;
        for (int i = 0; i < format.length(); i++) {
            if (format.charAt(i) != '%') continue;
            i++;
            if (format.charAt(i) == '%') continue;
            if (format.charAt(i) != '*') n++;
        }
        return n;
    }

    private static void sscanfCases(Cases cases, Arena arena) {
        MemorySegment[] targets = new MemorySegment[6];
        for (int k = 0; k < targets.length; k++) targets[k] = arena.allocate(32, 8);
        for (String in : SCAN_INPUTS)
            for (String format : SCAN_FORMATS) sscanfCase(cases, targets, in, format);
        // each at one comparison's boundary: every space character and its neighbours, widths of
        // 1, 9 and two digits, a width ending after a sign or a 0, set ranges at their edges
        for (String in : new String[] {"\t42", "\r42", "\n\u000b\f 42", "\b42", "\u000e42", "\u001f42", "!42"})
            for (String format : new String[] {"%d", "%s", "%c%d", " %c", "%f"}) sscanfCase(cases, targets, in, format);
        for (String in : new String[] {"-0", "+07", "0x1f", "0X", "-0x1f", "123456789012", "abcdefghijklmnopqrstuvwxyz", "1e5", "-1.5", "0x01", "0x0.8p1", "0x.8", "-.5", "infinity"})
            for (String format : new String[] {"%1d%n", "%1x%n", "%2x%n", "%1i%n", "%2i%n", "%3i%n", "%9d%n", "%10d%n", "%19s%n", "%1s%n", "%9s%n", "%10s%n",
                    "%1c%n", "%9c%n", "%1f%n", "%2f%n", "%9lf%n", "%10lf%n", "%1[a-z]%n", "%*1d%n", "%*10s%n", "%lf%n", "%f%n"})
                sscanfCase(cases, targets, in, format);
        // exponents of 9 and more significant digits, or led by zeros; hex digits e that are no exponent
        for (String in : new String[] {"1e-0000000001", "1e+0000000005", "1e9999999999", "-1e-9999999999", "2e123456789", "0x1eeeeeeeeeeee", "0x1.eeeeeeeeeeeep-3", "123456789012e-10"})
            for (String format : new String[] {"%lf%n", "%f%n", "%a%n", "%5lf%n"}) sscanfCase(cases, targets, in, format);
        for (String in : new String[] {"-a[\\]^_`b", "a-b", "-0A]", "a-z", "abcd", "x^y,z", "[^]", "]-a"})
            for (String format : new String[] {"%[-a]", "%[a-a]", "%[0-]", "%[z-a]", "%[a-c]", "%[^-a]", "%[]-a]", "%[^,]", "%[^a-b]", "%[a-]", "%[^]]", "%[]]"})
                sscanfCase(cases, targets, in, format + "%n");
    }

    private static void sscanfCase(Cases cases, MemorySegment[] targets, String in, String format) {
        int n = pointers(format);
        StringBuilder c = new StringBuilder("memset(t, 0x55, sizeof t); r = sscanf(" + cstr(in) + ", " + cstr(format));
        for (int k = 0; k < n; k++) c.append(", (void *) t[").append(k).append("].b");
        c.append("); dumpt(r, ").append(n).append(");");
        cases.add("sscanf(\"" + in + "\", \"" + format + "\")", c.toString(), () -> {
            Object[] args = new Object[n];
            for (int k = 0; k < n; k++) args[k] = targets[k].fill((byte) 0x55);
            int r = sscanf(in, format, args);
            StringBuilder line = new StringBuilder().append(r);
            for (int k = 0; k < n; k++) line.append('\t').append(hex(targets[k], 32));
            return line.toString();
        });
    }

    // ---- string.h ----------------------------------------------------------------------------------

    static final byte[][] STRINGS = {b(""), b("a"), b("abc"), b("abd"), b("ABC"), b("abcdef"), b("hello world"), {(byte) 0xff}, {(byte) 0x80, 'a'},
            {'a', 0x7f}, b("aBc"), b("ab"), b("lo w"), b("o"), b(" \t,"), b("cba")};

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void stringCases(Cases cases, Arena arena) {
        int count = STRINGS.length;
        MemorySegment[] seg = new MemorySegment[count];
        for (int k = 0; k < count; k++) seg[k] = bytes(arena, STRINGS[k]);
        for (int x = 0; x < count; x++) {
            MemorySegment s = seg[x];
            String cs = cstr(STRINGS[x]);
            cases.add("strlen", "printf(\"%zu\", strlen(" + cs + "));", () -> String.valueOf(strlen(s)));
            for (int max : new int[] {0, 1, 3, 100})
                cases.add("strnlen", "printf(\"%zu\", strnlen(" + cs + ", " + max + "));", () -> String.valueOf(strnlen(s, max)));
            for (int ch : new int[] {'a', 'b', 'o', 0, 'z', 0x1ff, 0xff, 'l', ' '}) {
                cases.add("strchr", "{ const char *p = " + cs + "; printf(\"%ld %ld\", off(strchr(p, " + ch + "), p), off(strrchr(p, " + ch + "), p)); }",
                        () -> offset(strchr(s, ch), s) + " " + offset(strrchr(s, ch), s));
                int n = STRINGS[x].length;
                cases.add("memchr", "{ const char *p = " + cs + "; printf(\"%ld\", off(memchr(p, " + ch + ", " + n + "), p)); }",
                        () -> String.valueOf(offset(memchr(s, ch, n), s)));
            }
            for (int y = 0; y < count; y++) {
                MemorySegment t = seg[y];
                String ct = cstr(STRINGS[y]);
                cases.add("strcmp", "printf(\"%d %d %d %d\", sgn(strcmp(" + cs + ", " + ct + ")), sgn(strcasecmp(" + cs + ", " + ct + ")), off(strstr("
                                + cs + ", " + ct + "), " + cs + "), 0);",
                        () -> strcmp(s, t) + " " + strcasecmp(s, t) + " " + offset(strstr(s, t), s) + " 0");
                for (int n : new int[] {0, 1, 2, 3, 10})
                    cases.add("strncmp", "printf(\"%d %d\", sgn(strncmp(" + cs + ", " + ct + ", " + n + ")), sgn(strncasecmp(" + cs + ", " + ct + ", " + n + ")));",
                            () -> strncmp(s, t, n) + " " + strncasecmp(s, t, n));
                int m = Math.min(STRINGS[x].length, STRINGS[y].length) + 1;
                cases.add("memcmp", "printf(\"%d\", sgn(memcmp(" + cs + ", " + ct + ", " + m + ")));", () -> String.valueOf(memcmp(s, t, m)));
                cases.add("strspn", "printf(\"%zu %zu\", strspn(" + cs + ", " + ct + "), strcspn(" + cs + ", " + ct + "));",
                        () -> strspn(s, t) + " " + strcspn(s, t));
                // copies into a 24-byte buffer that starts with "xy" and is 'Z' after
                MemorySegment d = arena.allocate(24);
                String init = "memset(buf, 'Z', 24); memcpy(buf, \"xy\", 3);";
                Runnable reset = () -> { d.fill((byte) 'Z'); d.set(JAVA_BYTE, 0, (byte) 'x'); d.set(JAVA_BYTE, 1, (byte) 'y'); d.set(JAVA_BYTE, 2, (byte) 0); };
                cases.add("strcpy", init + " strcpy((char *) buf, " + ct + "); hex(buf, 24);", () -> { reset.run(); strcpy(d, t); return hex(d, 24); });
                cases.add("strcat", init + " strcat((char *) buf, " + ct + "); hex(buf, 24);", () -> { reset.run(); strcat(d, t); return hex(d, 24); });
                for (int n : new int[] {0, 2, 5, 12}) {
                    cases.add("strncpy", init + " strncpy((char *) buf, " + ct + ", " + n + "); hex(buf, 24);", () -> { reset.run(); strncpy(d, t, n); return hex(d, 24); });
                    cases.add("strncat", init + " strncat((char *) buf, " + ct + ", " + n + "); hex(buf, 24);", () -> { reset.run(); strncat(d, t, n); return hex(d, 24); });
                }
            }
        }
        // strtok_r: every token, as the loop C writes
        for (String in : new String[] {"a b  c", "  lead", "trail  ", "", "   ", "a,b;;c", "single", "GET / HTTP/1.0\r\n"})
            for (String delim : new String[] {" ", ",;", " ,", "\r\n "}) {
                cases.add("strtok_r", "{ char s[64]; char *save, *tok; strcpy(s, " + cstr(in) + "); for (tok = strtok_r(s, " + cstr(delim)
                                + ", &save); tok != NULL; tok = strtok_r(NULL, " + cstr(delim) + ", &save)) { hex(tok, strlen(tok)); printf(\"@%ld \", (long) (tok - s)); } }",
                        () -> {
                            MemorySegment s = arena.allocate(64);
                            strcpy(s, in);
                            MemorySegment[] save = new MemorySegment[1];
                            StringBuilder line = new StringBuilder();
                            for (MemorySegment tok = strtok_r(s, delim, save); !tok.equals(MemorySegment.NULL); tok = strtok_r(null, delim, save))
                                line.append(hex(tok, strlen(tok))).append("@").append(tok.address() - s.address()).append(' ');
                            return line.toString();
                        });
            }
    }

    static long offset(MemorySegment p, MemorySegment base) {
        return p.equals(MemorySegment.NULL) ? -1 : p.address() - base.address();
    }

    // ---- strtol, strtoul, atoi -------------------------------------------------------------------

    static final String[] NUMBERS = {"0", "42", "-42", "  +7x", "0x1f", "0X", "0x", "0xg", "077", "09", "z", "Z", "zz", "", "   ", "-",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
            "18446744073709551616", "-1", "1e5", " \t\n12", "0b101", "2147483648", "-2147483649", "+-3", "0x7fffffffffffffff", "-0x8000000000000000",
            "ZZZZZZZZZZZZZZ", "1_000", "\u00b2"};

    private static void numberCases(Cases cases, Arena arena) {
        MemorySegment endptr = arena.allocate(C_POINTER);
        for (String in : NUMBERS) {
            MemorySegment s = arena.allocateFrom(in);
            String cs = cstr(in);
            for (int base : new int[] {0, 2, 8, 10, 16, 36, 1, 37, -1}) {
                cases.add("strtol(\"" + in + "\", " + base + ")", "{ const char *p = " + cs + "; end = NULL; errno = 0; lr = strtol(p, &end, " + base
                                + "); printf(\"%ld %d %ld\", lr, errno, off(end, p)); end = NULL; errno = 0; ur = strtoul(p, &end, " + base
                                + "); printf(\" %lu %d %ld\", ur, errno, off(end, p)); }",
                        () -> {
                            endptr.set(C_POINTER, 0, MemorySegment.NULL);
                            errno(0);
                            long v = strtol(s, endptr, base);
                            String line = v + " " + errno() + " " + offset(endptr.get(C_POINTER, 0), s);
                            endptr.set(C_POINTER, 0, MemorySegment.NULL);
                            errno(0);
                            long u = strtoul(s, endptr, base);
                            return line + " " + Long.toUnsignedString(u) + " " + errno() + " " + offset(endptr.get(C_POINTER, 0), s);
                        });
            }
            cases.add("atoi(\"" + in + "\")", "printf(\"%d %ld\", atoi(" + cs + "), atol(" + cs + "));",
                    () -> atoi(in) + " " + atol(in) + (atoi(s) == atoi(in) && atol(s) == atol(in) ? "" : " (segment differs)"));
        }
    }

    // ---- time ------------------------------------------------------------------------------------

    static final long[] TIMES = {0, 86399, 951782400, 1700000000, -1, 2147483648L, 253402300799L, -62135596800L, 1e17 > 0 ? 100000000000000000L : 0};
    static final String STRFTIME = "%Y-%m-%d %H:%M:%S|%a %A %b %B|%j %U %W %w %u|%y %C %e %I %p|%Z %z|%D %T %F %R|%%|%s|%G %V %g";

    private static void timeCases(Cases cases, Arena arena) {
        MemorySegment tp = arena.allocate(io.github.panamasockets.bindings.sockets_h.time_t);
        MemorySegment result = tm.allocate(arena);
        MemorySegment out = arena.allocate(256);
        for (long t : TIMES) {
            for (String fn : new String[] {"gmtime", "localtime"}) {
                cases.add(fn + "(" + t + ")", "{ time_t v = " + t + "L; struct tm *p = " + fn + "(&v); if (p == NULL) printf(\"NULL %d\", errno); else { "
                                + "printf(\"%d %d %d %d %d %d %d %d %d %ld \", p->tm_sec, p->tm_min, p->tm_hour, p->tm_mday, p->tm_mon, p->tm_year, p->tm_wday, p->tm_yday, p->tm_isdst, p->tm_gmtoff);"
                                + " memset(buf, 0x5a, 256); size_t n = strftime((char *) buf, 256, " + cstr(STRFTIME) + ", p); printf(\"%zu \", n); hex(buf, n + 2);"
                                + " n = strftime((char *) buf, 10, \"%Y-%m-%d %H\", p); printf(\" %zu\", n); } }",
                        () -> {
                            tp.set(io.github.panamasockets.bindings.sockets_h.time_t, 0, t);
                            errno(0);
                            MemorySegment p = fn.equals("gmtime") ? gmtime(tp) : localtime(tp);
                            if (p.equals(MemorySegment.NULL)) return "NULL " + errno();
                            String line = tm.tm_sec(p) + " " + tm.tm_min(p) + " " + tm.tm_hour(p) + " " + tm.tm_mday(p) + " " + tm.tm_mon(p) + " " + tm.tm_year(p)
                                    + " " + tm.tm_wday(p) + " " + tm.tm_yday(p) + " " + tm.tm_isdst(p) + " " + tm.tm_gmtoff(p) + " ";
                            out.fill((byte) 0x5a);
                            long n = strftime(out, 256, STRFTIME, p);
                            line += n + " " + hex(out, n + 2);
                            long m = strftime(out, 10, "%Y-%m-%d %H", p);
                            MemorySegment r = fn.equals("gmtime") ? gmtime_r(tp, result) : localtime_r(tp, result);
                            return line + " " + m + (r.equals(result) && result.asSlice(0, tm.sizeof()).mismatch(p.asSlice(0, tm.sizeof())) == -1 ? "" : " (_r differs)");
                        });
            }
            cases.add("ctime(" + t + ")", "{ time_t v = " + t + "L; const char *s = ctime(&v); if (s == NULL) printf(\"NULL\"); else hex(s, strlen(s)); }",
                    () -> {
                        String s = ctime(t);
                        return s == null ? "NULL" : HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
                    });
        }
    }

    // ---- the comparison ----------------------------------------------------------------------------

    @Test
    void everyFunctionMatchesGlibc(@TempDir Path dir) throws Exception {
        assumeTrue(Child.haveCc(), "cc is not installed: cannot build the C reference");
        try (Arena arena = Arena.ofConfined()) {
            Cases cases = new Cases();
            printfCases(cases, arena);
            int printf = cases.c.size();
            sscanfCases(cases, arena);
            int sscanf = cases.c.size() - printf;
            stringCases(cases, arena);
            numberCases(cases, arena);
            timeCases(cases, arena);
            Child.Result c = Child.ccOutput(dir, "clib", List.of("-std=gnu11", "-O0", "-fno-builtin", "-w", "-U_FORTIFY_SOURCE"), cases.program(), 120);
            assertEquals(0, c.exit(), c.stderr());
            List<String> expected = c.lines();
            assertEquals(cases.c.size(), expected.size(), "lines from the C program");
            List<String> wrong = new ArrayList<>();
            for (int k = 0; k < expected.size(); k++) {
                String line;
                try {
                    line = k + "\t" + cases.java.get(k).get();
                } catch (RuntimeException e) {
                    line = k + "\t" + e;
                }
                if (!line.equals(expected.get(k))) wrong.add(cases.what.get(k) + "\n    C:    " + expected.get(k) + "\n    Java: " + line);
            }
            System.out.println("CLibraryMatchesCTest: " + expected.size() + " cases compared with glibc (" + printf + " snprintf, " + sscanf + " sscanf, "
                    + (expected.size() - printf - sscanf) + " string.h, strtol/strtoul/atoi and time), " + wrong.size() + " differ");
            assertTrue(wrong.isEmpty(), wrong.size() + " of " + expected.size() + " cases differ from glibc, the first:\n"
                    + String.join("\n", wrong.subList(0, Math.min(40, wrong.size()))));
        }
    }

    /** printf, fprintf, puts, fputs, putchar: the bytes on stdout and stderr are C's, in C's order. */
    @Test
    void streamsCarryWhatCWrites(@TempDir Path dir) throws Exception {
        assumeTrue(Child.haveCc(), "cc is not installed: cannot build the C reference");
        String program = """
                #include <stdio.h>
                int main(void) {
                    int a = printf("%s=%d %5.2f|%-4x|\\n", "port", 8888, 3.14159, 255);
                    int b = fprintf(stderr, "error: %s (%d)\\n", "refused", 111);
                    puts("a line");
                    fputs("no newline", stdout);
                    putchar('!'); putchar(0x10a); putchar('\\n');
                    fputs("to stderr\\n", stderr);
                    printf("%d %d\\n", a, b);
                    return 0;
                }
                """;
        Child.Result c = Child.ccOutput(dir, "streams", List.of("-std=gnu11", "-O0"), program, 30);
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, false, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, false, StandardCharsets.UTF_8));
            int a = printf("%s=%d %5.2f|%-4x|\n", "port", 8888, 3.14159, 255);
            int b = fprintf(stderr, "error: %s (%d)\n", "refused", 111);
            puts("a line");
            fputs("no newline", stdout);
            putchar('!'); putchar(0x10a); putchar('\n');
            fputs("to stderr\n", stderr);
            printf("%d %d\n", a, b);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals(c.stdout(), o.toString(StandardCharsets.UTF_8));
        assertEquals(c.stderr(), e.toString(StandardCharsets.UTF_8));
    }

    /** fgets and getchar read stdin as C does: lines with their newline, cut at size - 1, NULL at the end. */
    @Test
    void fgetsReadsStdinAsCDoes(@TempDir Path dir) throws Exception {
        assumeTrue(Child.haveCc(), "cc is not installed: cannot build the C reference");
        String input = "first line\nsecond\n\na line longer than the buffer\nx\nlast, no newline";
        String program = """
                #include <stdio.h>
                #include <string.h>
                int main(void) {
                    char buf[8];
                    int c = getchar(); printf("getchar %d\\n", c);
                    for (int size = 8; fgets(buf, size, stdin) != NULL; size = size == 8 ? 3 : 8) {
                        for (size_t i = 0; i < strlen(buf); i++) printf("%02x", (unsigned char) buf[i]);
                        printf(" (size %d)\\n", size);
                    }
                    printf("NULL %d\\n", getchar());
                    return 0;
                }
                """;
        Path exe = Child.cc(dir, "fgets", program);
        Path in = dir.resolve("input.txt");
        java.nio.file.Files.writeString(in, input);
        Path out = dir.resolve("output.txt");
        Process p = new ProcessBuilder(exe.toString()).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(dir.resolve("error.txt").toFile()).start(); // files, not pipes: nothing left open here
        int status = p.waitFor();
        p.getInputStream().close();
        p.getErrorStream().close();
        p.getOutputStream().close();
        assertEquals(0, status);
        String c = java.nio.file.Files.readString(out);

        java.io.InputStream savedIn = System.in;
        StringBuilder java = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            System.setIn(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            MemorySegment buf = arena.allocate(8);
            int ch = getchar();
            java.append("getchar ").append(ch).append('\n');
            for (int size = 8; !fgets(buf, size, stdin).equals(MemorySegment.NULL); size = size == 8 ? 3 : 8)
                java.append(hex(buf, strlen(buf))).append(" (size ").append(size).append(")\n");
            java.append("NULL ").append(getchar()).append('\n');
        } finally {
            System.setIn(savedIn);
        }
        assertEquals(c, java.toString());
    }

    /** dprintf writes C's text to a descriptor, all of it, with write(2). */
    @Test
    void dprintfWritesToADescriptor(@TempDir Path dir) throws Exception {
        assumeTrue(Child.haveCc(), "cc is not installed: cannot build the C reference");
        Child.Result c = Child.ccOutput(dir, "dprintf", List.of("-std=gnu11", "-O0"), """
                #include <stdio.h>
                int main(void) {
                    int n = dprintf(1, "%s %5d|%-8.3f|%x\\r\\n", "daytime", 13, 2.0 / 3, 48879);
                    dprintf(1, "%d\\n", n);
                    return 0;
                }
                """, 30);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sv = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
            int a = sv.getAtIndex(ValueLayout.JAVA_INT, 0), b = sv.getAtIndex(ValueLayout.JAVA_INT, 1);
            try {
                int n = dprintf(a, "%s %5d|%-8.3f|%x\r\n", "daytime", 13, 2.0 / 3, 48879);
                dprintf(a, "%d\n", n);
                MemorySegment got = arena.allocate(256);
                long r = read(b, got, 256);
                assertEquals(c.stdout(), cstring(got, r));
                assertEquals(-1, dprintf(-1, "x"));
                assertEquals(EBADF, errno());
            } finally {
                close(a);
                close(b);
                errno(0);
            }
        }
    }
}
