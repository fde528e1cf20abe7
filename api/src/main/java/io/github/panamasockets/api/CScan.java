package io.github.panamasockets.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * C's scanf format language over the bytes of a C string, as glibc's sscanf reads it. The stores
 * are collected while scanning and made only at the end, once every one has been checked, so a
 * pointer of the wrong kind or too small a buffer stores nothing at all.
 */
final class CScan {
    private CScan() {}

    private static boolean isspace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static final class Input {
        final byte[] b;
        int pos;
        Input(byte[] b) { this.b = b; }
        boolean end() { return pos >= b.length; }
        int peek() { return b[pos] & 0xff; }
        void skipSpace() { while (!end() && isspace(peek())) pos++; }
    }

    static int scan(byte[] input, String format, Object[] args) {
        if (format == null) throw new IllegalArgumentException("sscanf: the format is NULL");
        if (args == null) args = new Object[] {null};
        byte[] f = format.getBytes(StandardCharsets.UTF_8);
        Input in = new Input(input);
        List<Runnable> stores = new ArrayList<>();
        int assigned = 0, next = 0;
        int i = 0;
        scanning:
        while (i < f.length) {
            int fc = f[i++] & 0xff;
            if (isspace(fc)) { in.skipSpace(); continue; }
            if (fc != '%') {
                if (in.end()) { assigned = inputFailure(assigned); break; }
                if (in.peek() != fc) break; // a matching failure
                in.pos++;
                continue;
            }
            int start = i - 1;
            boolean suppress = false;
            if (i < f.length && f[i] == '*') { suppress = true; i++; }
            int width = -1;
            if (i < f.length && f[i] >= '1' && f[i] <= '9') {
                long w = 0;
                while (i < f.length && f[i] >= '0' && f[i] <= '9') w = Math.min(Integer.MAX_VALUE, w * 10 + (f[i++] - '0'));
                width = (int) w;
            }
            String length = "";
            if (i < f.length) {
                if ((f[i] == 'h' || f[i] == 'l') && i + 1 < f.length && f[i + 1] == f[i]) { length = f[i] == 'h' ? "hh" : "ll"; i += 2; }
                else if ("hljzt".indexOf(f[i]) >= 0) length = String.valueOf((char) f[i++]);
            }
            if (i >= f.length) throw bad(format, start, "ends inside a conversion");
            char conversion = (char) f[i++];
            if (conversion != '[' && conversion != 'c' && conversion != 'n') in.skipSpace();
            switch (conversion) {
                case '%' -> {
                    if (in.end()) { assigned = inputFailure(assigned); break scanning; }
                    if (in.peek() != '%') break scanning;
                    in.pos++;
                }
                case 'n' -> {
                    if (!suppress) stores.add(number(format, start, length, arg(format, start, args, next++), in.pos));
                }
                case 'd', 'i', 'u', 'o', 'x', 'X' -> {
                    if (in.end()) { assigned = inputFailure(assigned); break scanning; }
                    int base = switch (conversion) { case 'd', 'u' -> 10; case 'i' -> 0; case 'o' -> 8; default -> 16; };
                    Long v = integer(in, width, base, conversion == 'd' || conversion == 'i');
                    if (v == null) break scanning;
                    if (!suppress) { stores.add(number(format, start, length, arg(format, start, args, next++), v)); assigned++; }
                }
                case 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A' -> {
                    if (!(length.isEmpty() || length.equals("l"))) throw bad(format, start, "has %" + length + conversion + ": it reads a float or (with l) a double");
                    if (in.end()) { assigned = inputFailure(assigned); break scanning; }
                    String text = floatText(in, width);
                    Double v = text == null ? null : strtod(text, length.isEmpty());
                    if (v == null) break scanning;
                    if (!suppress) { stores.add(floating(format, start, length.isEmpty(), arg(format, start, args, next++), v)); assigned++; }
                }
                case 'c', 's', '[' -> {
                    if (!length.isEmpty()) throw bad(format, start, "has %" + length + conversion + ": wide characters are not supported");
                    boolean[] set = null;
                    if (conversion == '[') {
                        set = new boolean[256];
                        i = parseSet(f, i, set, format, start);
                    }
                    if (in.end()) { assigned = inputFailure(assigned); break scanning; }
                    int from = in.pos;
                    if (conversion == 'c') {
                        int n = width < 0 ? 1 : width;
                        in.pos = (int) Math.min(in.b.length, (long) in.pos + n);
                    } else {
                        while (!in.end() && (width < 0 || in.pos - from < width)
                                && (set == null ? !isspace(in.peek()) : set[in.peek()])) in.pos++;
                        if (in.pos == from) break scanning; // %[ matched nothing
                    }
                    if (!suppress) {
                        byte[] text = java.util.Arrays.copyOfRange(in.b, from, in.pos);
                        stores.add(text(format, start, conversion, arg(format, start, args, next++), text, conversion != 'c'));
                        assigned++;
                    }
                }
                default -> throw bad(format, start, "has the conversion '" + conversion + "', which this sscanf does not support");
            }
        }
        stores.forEach(Runnable::run);
        return assigned;
    }

    /** The input ended before a directive could match: EOF if nothing was assigned yet. */
    private static int inputFailure(int assigned) {
        return assigned == 0 ? -1 : assigned;
    }

    private static IllegalArgumentException bad(String format, int at, String why) {
        return new IllegalArgumentException("sscanf format \"" + format + "\" at offset " + at + " " + why);
    }

    private static Object arg(String format, int at, Object[] args, int index) {
        if (index >= args.length) throw bad(format, at, "has no pointer to store into (only " + args.length + " given)");
        return args[index];
    }

    /** A set of %[...]: returns the index after its ']'. */
    private static int parseSet(byte[] f, int i, boolean[] set, String format, int start) {
        boolean negate = i < f.length && f[i] == '^';
        if (negate) i++;
        int first = i;
        while (true) {
            if (i >= f.length) throw bad(format, start, "has a %[ with no closing ]");
            int c = f[i] & 0xff;
            if (c == ']' && i > first) { i++; break; }
            if (c == '-' && i > first && i + 1 < f.length && f[i + 1] != ']' && (f[i - 1] & 0xff) <= (f[i + 1] & 0xff)) {
                for (int k = f[i - 1] & 0xff; k <= (f[i + 1] & 0xff); k++) set[k] = true;
                i += 2;
                continue;
            }
            set[c] = true;
            i++;
        }
        if (negate) for (int k = 0; k < 256; k++) set[k] = !set[k];
        return i;
    }

    /**
     * A number as glibc's scanf reads one: a sign, then for base 16 (or 0) an optional 0x, then the
     * digits, all within the width; converted as strtol (signed) or strtoul would. null when there
     * are no digits (a matching failure).
     */
    private static Long integer(Input in, int width, int base, boolean signed) {
        int w = width < 0 ? Integer.MAX_VALUE : width;
        StringBuilder text = new StringBuilder();
        if (w > 0 && !in.end() && (in.peek() == '+' || in.peek() == '-')) { text.append((char) in.peek()); in.pos++; w--; }
        boolean digits = false;
        if (w > 0 && !in.end() && in.peek() == '0') {
            text.append('0'); in.pos++; w--; digits = true;
            if (w > 0 && !in.end() && (in.peek() == 'x' || in.peek() == 'X') && (base == 0 || base == 16)) {
                base = 16; in.pos++; w--;
            } else if (base == 0) base = 8;
        }
        if (base == 0) base = 10;
        while (w > 0 && !in.end() && Character.digit(in.peek(), base) >= 0) {
            text.append((char) in.peek()); in.pos++; w--; digits = true;
        }
        if (!digits) return null;
        return PosixStdlib.strtoBytes(text.toString().getBytes(StandardCharsets.ISO_8859_1), base, signed, null);
    }

    private static boolean isdigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isxdigit(int c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    /**
     * The characters glibc's scanf takes for a floating-point number, within the width: a sign,
     * then "nan", "inf" or "infinity", or decimal (or 0x hexadecimal) digits with one point and an
     * exponent. null when what it took cannot start a number (a matching failure): it has already
     * consumed those characters, as glibc has.
     */
    private static String floatText(Input in, int width) {
        long w = width < 0 ? Long.MAX_VALUE : width;
        StringBuilder t = new StringBuilder();
        int c = in.b[in.pos++] & 0xff;
        w--;
        if (c == '-' || c == '+') {
            t.append((char) c);
            if (w == 0 || in.end()) return null;
            c = in.b[in.pos++] & 0xff;
            w--;
        }
        int lc = Character.toLowerCase(c);
        if (lc == 'n' || lc == 'i') {
            String word = lc == 'n' ? "nan" : "inf";
            t.append((char) c);
            for (int k = 1; k < 3; k++) {
                if (w == 0 || in.end() || Character.toLowerCase(in.peek()) != word.charAt(k)) return null;
                t.append((char) in.b[in.pos++]);
                w--;
            }
            if (lc == 'i' && w != 0 && !in.end() && Character.toLowerCase(in.peek()) == 'i') {
                for (char k : "inity".toCharArray()) {
                    if (w == 0 || in.end() || Character.toLowerCase(in.peek()) != k) return null;
                    t.append((char) in.b[in.pos++]);
                    w--;
                }
            }
            return t.toString();
        }
        boolean hex = false, digit = false, dot = false, e = false;
        char exp = 'e';
        if (w != 0 && c == '0') {
            t.append('0');
            if (in.end()) return t.toString();
            c = in.b[in.pos++] & 0xff;
            w--;
            if (w != 0 && (c == 'x' || c == 'X')) { // glibc counts the x before it looks at the width again
                t.append('x');
                hex = true;
                exp = 'p';
                if (in.end()) return null;
                c = in.b[in.pos++] & 0xff;
                w--;
            } else digit = true;
        }
        while (true) {
            if (isdigit(c) || (!e && hex && isxdigit(c))) {
                t.append((char) c);
                digit = true;
            } else if (e && t.charAt(t.length() - 1) == exp && (c == '-' || c == '+')) {
                t.append((char) c);
            } else if (digit && !e && Character.toLowerCase(c) == exp) {
                t.append(exp);
                e = dot = true;
            } else if (c == '.' && !dot) {
                t.append('.');
                dot = true;
            } else {
                in.pos--; // not part of the number
                break;
            }
            if (w == 0 || in.end()) break;
            c = in.b[in.pos++] & 0xff;
            w--;
        }
        // glibc calls a bare "0x" (signed or not) no number, though strtod would read its 0; "0x." is 0
        if (hex && t.length() == (t.charAt(0) == '-' || t.charAt(0) == '+' ? 3 : 2)) return null;
        return t.toString();
    }

    /**
     * strtod (or strtof) of the characters taken: the longest prefix that is a number, correctly
     * rounded as glibc rounds; null when none is.
     */
    static Double strtod(String t, boolean single) {
        int i = 0;
        boolean negative = false;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) negative = t.charAt(i++) == '-';
        String rest = t.substring(i).toLowerCase();
        double v;
        if (rest.startsWith("nan")) v = Double.NaN;
        else if (rest.startsWith("inf")) v = Double.POSITIVE_INFINITY;
        else {
            boolean hex = rest.startsWith("0x") && rest.length() > 2 && (isxdigit(rest.charAt(2)) || rest.charAt(2) == '.' && rest.length() > 3 && isxdigit(rest.charAt(3)));
            String digits = hex ? "0123456789abcdef" : "0123456789";
            int k = hex ? 2 : 0, mantissa = 0;
            while (k < rest.length() && digits.indexOf(rest.charAt(k)) >= 0) { k++; mantissa++; }
            if (k < rest.length() && rest.charAt(k) == '.') {
                int after = k + 1;
                while (after < rest.length() && digits.indexOf(rest.charAt(after)) >= 0) { after++; mantissa++; }
                k = after;
            }
            if (mantissa == 0) return null;
            String number = rest.substring(0, k);
            char exp = hex ? 'p' : 'e';
            if (k < rest.length() && rest.charAt(k) == exp) {
                int j = k + 1;
                if (j < rest.length() && (rest.charAt(j) == '+' || rest.charAt(j) == '-')) j++;
                int d = j;
                while (d < rest.length() && isdigit(rest.charAt(d))) d++;
                if (d > j) number = rest.substring(0, d);
            }
            if (hex && number.indexOf('p') < 0) number += "p0";
            if (!hex && number.indexOf('e') >= 0) number = clampExponent(number);
            v = single ? Float.parseFloat(number) : Double.parseDouble(number);
        }
        if (Double.isNaN(v)) return Double.longBitsToDouble(negative ? 0xfff8000000000000L : 0x7ff8000000000000L);
        return negative ? -v : v;
    }

    /** An exponent too long for Java's parser is, for any double, as good as a huge one of the same sign. */
    private static String clampExponent(String number) {
        int e = number.indexOf('e');
        String exponent = number.substring(e + 1);
        boolean minus = exponent.startsWith("-");
        String digits = exponent.replaceFirst("^[+-]", "").replaceFirst("^0+(?=\\d)", "");
        if (digits.length() <= 9) return number;
        return number.substring(0, e + 1) + (minus ? "-" : "") + "999999999";
    }

    private static Runnable floating(String format, int at, boolean single, Object target, double v) {
        int size = single ? 4 : 8;
        if (target instanceof MemorySegment m && !m.equals(MemorySegment.NULL)) {
            if (m.byteSize() < size) throw new IndexOutOfBoundsException("sscanf format \"" + format + "\" at offset " + at + " stores " + size + " bytes into a segment of " + m.byteSize());
            if (m.isReadOnly()) throw bad(format, at, "stores into a read-only segment");
            if (single) {
                int bits = Double.isNaN(v) ? (Double.doubleToRawLongBits(v) < 0 ? 0xffc00000 : 0x7fc00000) : Float.floatToRawIntBits((float) v);
                return () -> m.set(ValueLayout.JAVA_INT_UNALIGNED, 0, bits);
            }
            return () -> m.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, v);
        }
        if (single && target instanceof float[] a && a.length > 0) return () -> a[0] = (float) v;
        if (!single && target instanceof double[] a && a.length > 0) return () -> a[0] = v;
        throw bad(format, at, "stores a " + (single ? "float: it wants a MemorySegment or a float[]" : "double: it wants a MemorySegment or a double[]")
                + ", given " + (target == null ? "null" : target.getClass().getSimpleName()));
    }

    private static Runnable number(String format, int at, String length, Object target, long v) {
        int size = switch (length) { case "hh" -> 1; case "h" -> 2; case "" -> 4; default -> 8; };
        if (target instanceof MemorySegment m && !m.equals(MemorySegment.NULL)) {
            if (m.byteSize() < size) throw new IndexOutOfBoundsException("sscanf format \"" + format + "\" at offset " + at + " stores " + size + " bytes into a segment of " + m.byteSize());
            if (m.isReadOnly()) throw bad(format, at, "stores into a read-only segment");
            return switch (size) {
                case 1 -> () -> m.set(ValueLayout.JAVA_BYTE, 0, (byte) v);
                case 2 -> () -> m.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) v);
                case 4 -> () -> m.set(ValueLayout.JAVA_INT_UNALIGNED, 0, (int) v);
                default -> () -> m.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, v);
            };
        }
        if (size == 1 && target instanceof byte[] a && a.length > 0) return () -> a[0] = (byte) v;
        if (size == 2 && target instanceof short[] a && a.length > 0) return () -> a[0] = (short) v;
        if (size == 4 && target instanceof int[] a && a.length > 0) return () -> a[0] = (int) v;
        if (size == 8 && target instanceof long[] a && a.length > 0) return () -> a[0] = v;
        throw bad(format, at, "stores a " + size + "-byte integer: it wants a MemorySegment or a "
                + switch (size) { case 1 -> "byte[]"; case 2 -> "short[]"; case 4 -> "int[]"; default -> "long[]"; }
                + ", given " + (target == null ? "null" : target.getClass().getSimpleName()));
    }

    private static Runnable text(String format, int at, char conversion, Object target, byte[] text, boolean nul) {
        int need = text.length + (nul ? 1 : 0);
        if (target instanceof MemorySegment m && !m.equals(MemorySegment.NULL)) {
            if (m.byteSize() < need) throw new IndexOutOfBoundsException("sscanf format \"" + format + "\" at offset " + at + ": %" + conversion
                    + " stores " + need + " bytes into a segment of " + m.byteSize());
            if (m.isReadOnly()) throw bad(format, at, "stores into a read-only segment");
            return () -> {
                MemorySegment.copy(text, 0, m, ValueLayout.JAVA_BYTE, 0, text.length);
                if (nul) m.set(ValueLayout.JAVA_BYTE, text.length, (byte) 0);
            };
        }
        if (target instanceof byte[] a) {
            if (a.length < need) throw new IndexOutOfBoundsException("sscanf format \"" + format + "\" at offset " + at + ": %" + conversion
                    + " stores " + need + " bytes into a byte[" + a.length + "]");
            return () -> {
                System.arraycopy(text, 0, a, 0, text.length);
                if (nul) a[text.length] = 0;
            };
        }
        throw bad(format, at, "stores text: it wants a MemorySegment or a byte[], given " + (target == null ? "null" : target.getClass().getSimpleName()));
    }
}
