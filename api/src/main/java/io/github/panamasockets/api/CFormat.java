package io.github.panamasockets.api;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * C's printf format language, in Java: the bytes glibc's vsnprintf would produce for the same
 * format and values. Floating point is expanded exactly (a double is a dyadic fraction, so
 * BigDecimal holds it without error) and rounded to nearest, ties to even, as glibc rounds in the
 * default rounding mode. Every argument is checked while the text is built, before one byte
 * reaches a stream or a buffer: a wrong argument throws and writes nothing.
 */
final class CFormat {
    private CFormat() {}

    /** The formatted bytes, without a NUL. The %n stores are done only once the whole text is built. */
    static byte[] format(String format, Object... args) {
        if (format == null) throw new IllegalArgumentException("printf: the format is NULL");
        if (args == null) args = new Object[] {null};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Runnable> stores = new ArrayList<>();
        byte[] f = format.getBytes(StandardCharsets.UTF_8);
        int next = 0; // the next argument
        int i = 0;
        while (i < f.length) {
            byte b = f[i++];
            if (b != '%') { out.write(b); continue; }
            int start = i - 1;
            boolean minus = false, plus = false, space = false, alt = false, zero = false;
            for (; i < f.length && "-+ #0".indexOf(f[i]) >= 0; i++) {
                switch (f[i]) {
                    case '-' -> minus = true;
                    case '+' -> plus = true;
                    case ' ' -> space = true;
                    case '#' -> alt = true;
                    default -> zero = true;
                }
            }
            if (i >= f.length) throw bad(format, start, "ends inside a conversion");
            int width = -1, precision = -1;
            if (f[i] == '*') {
                i++;
                width = intArg(format, start, args, next++, "*");
                if (width < 0) { minus = true; width = width == Integer.MIN_VALUE ? Integer.MAX_VALUE : -width; }
            } else {
                int[] r = digits(f, i);
                if (r[1] != i) { width = r[0]; i = r[1]; }
            }
            if (i < f.length && f[i] == '.') {
                i++;
                if (i < f.length && f[i] == '*') {
                    i++;
                    precision = intArg(format, start, args, next++, ".*");
                    if (precision < 0) precision = -1; // a negative precision is taken as if it were omitted
                } else {
                    int[] r = digits(f, i);
                    precision = r[0];
                    i = r[1];
                }
            }
            String length = "";
            if (i < f.length) {
                if ((f[i] == 'h' || f[i] == 'l') && i + 1 < f.length && f[i + 1] == f[i]) { length = f[i] == 'h' ? "hh" : "ll"; i += 2; }
                else if ("hlLjzt".indexOf(f[i]) >= 0) length = String.valueOf((char) f[i++]);
            }
            if (i >= f.length) throw bad(format, start, "ends inside a conversion");
            char conversion = (char) f[i++];
            Spec s = new Spec(format, start, minus, plus, space, alt, zero, width, precision, length, conversion);
            switch (conversion) {
                case '%' -> out.write('%');
                case 'm' -> string(out, s, Errors.message(ThreadErrno.current().errno)); // glibc's: strerror(errno), no argument
                case 'd', 'i' -> integer(out, s, signedValue(s, arg(s, args, next++)));
                case 'u', 'o', 'x', 'X' -> integer(out, s, unsignedValue(s, arg(s, args, next++)));
                case 'c' -> character(out, s, arg(s, args, next++));
                case 's' -> string(out, s, arg(s, args, next++));
                case 'p' -> pointer(out, s, arg(s, args, next++));
                case 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A' -> floating(out, s, arg(s, args, next++));
                case 'n' -> stores.add(countStore(s, arg(s, args, next++), out.size()));
                default -> throw bad(format, start, "has the conversion '" + conversion + "', which this printf does not support");
            }
        }
        stores.forEach(Runnable::run);
        return out.toByteArray();
    }

    private record Spec(String format, int at, boolean minus, boolean plus, boolean space, boolean alt, boolean zero,
                        int width, int precision, String length, char conversion) {
        String text() {
            return "%" + (minus ? "-" : "") + (plus ? "+" : "") + (space ? " " : "") + (alt ? "#" : "") + (zero ? "0" : "")
                    + (width >= 0 ? width : "") + (precision >= 0 ? "." + precision : "") + length + conversion;
        }
    }

    private static IllegalArgumentException bad(String format, int at, String why) {
        return new IllegalArgumentException("printf format \"" + format + "\" at offset " + at + " " + why);
    }

    private static IllegalArgumentException bad(Spec s, Object arg, String wanted) {
        return new IllegalArgumentException("printf format \"" + s.format + "\": " + s.text() + " wants " + wanted + ", given "
                + (arg == null ? "null" : arg.getClass().getSimpleName() + " " + arg));
    }

    private static int[] digits(byte[] f, int i) {
        long v = 0;
        while (i < f.length && f[i] >= '0' && f[i] <= '9') {
            v = Math.min(Integer.MAX_VALUE, v * 10 + (f[i] - '0'));
            i++;
        }
        return new int[] {(int) v, i};
    }

    private static Object arg(Spec s, Object[] args, int index) {
        if (index >= args.length) throw new IllegalArgumentException("printf format \"" + s.format + "\": " + s.text() + " has no argument (only " + args.length + " given)");
        return args[index];
    }

    private static int intArg(String format, int at, Object[] args, int index, String what) {
        if (index >= args.length) throw bad(format, at, "wants an int for " + what + " and has no argument");
        Object a = args[index];
        if (a instanceof Integer || a instanceof Short || a instanceof Byte) return ((Number) a).intValue();
        throw bad(format, at, "wants an int for " + what + ", given " + (a == null ? "null" : a.getClass().getSimpleName()));
    }

    // ---- integers ----------------------------------------------------------------------------

    private static long integral(Spec s, Object a) {
        if (a instanceof Integer || a instanceof Long || a instanceof Short || a instanceof Byte) return ((Number) a).longValue();
        if (a instanceof Character c) return c;
        throw bad(s, a, "an integer (int, long, short, byte or char)");
    }

    /** An argument of the conversion's C type: without l/ll/j/z/t an int (a long must fit in an int or an unsigned int). */
    private static long sized(Spec s, Object a) {
        long v = integral(s, a);
        if (s.length.isEmpty() && !(a instanceof Integer) && (v < Integer.MIN_VALUE || v > 0xffffffffL))
            throw bad(s, a, "an int (a long this large needs %l" + s.conversion + ")");
        return v;
    }

    private static long signedValue(Spec s, Object a) {
        long v = sized(s, a);
        return switch (s.length) {
            case "hh" -> (byte) v;
            case "h" -> (short) v;
            case "" -> (int) v;
            case "l", "ll", "j", "z", "t" -> v;
            default -> throw bad(s, a, "no length modifier L");
        };
    }

    private static long unsignedValue(Spec s, Object a) {
        long v = sized(s, a);
        return switch (s.length) {
            case "hh" -> v & 0xff;
            case "h" -> v & 0xffff;
            case "" -> v & 0xffffffffL;
            case "l", "ll", "j", "z", "t" -> v;
            default -> throw bad(s, a, "no length modifier L");
        };
    }

    private static void integer(ByteArrayOutputStream out, Spec s, long v) {
        boolean signed = s.conversion == 'd' || s.conversion == 'i';
        boolean negative = signed && v < 0;
        String digits = switch (s.conversion) {
            case 'o' -> Long.toOctalString(v);
            case 'x' -> Long.toHexString(v);
            case 'X' -> Long.toHexString(v).toUpperCase();
            case 'u' -> Long.toUnsignedString(v);
            default -> negative ? Long.toUnsignedString(-v) : Long.toString(v);
        };
        if (s.precision == 0 && v == 0) digits = "";
        if (s.precision > digits.length()) digits = "0".repeat(s.precision - digits.length()) + digits;
        if (s.alt && s.conversion == 'o' && !digits.startsWith("0")) digits = "0" + digits;
        String prefix = negative ? "-" : signed && s.plus ? "+" : signed && s.space ? " " : "";
        if (s.alt && v != 0 && (s.conversion == 'x' || s.conversion == 'X')) prefix = s.conversion == 'x' ? "0x" : "0X";
        pad(out, s, prefix, digits, s.zero && s.precision < 0);
    }

    /** Width: spaces before (or after, with '-'), or zeros between the prefix and the digits. */
    private static void pad(ByteArrayOutputStream out, Spec s, String prefix, String body, boolean zeros) {
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1), b = body.getBytes(StandardCharsets.ISO_8859_1);
        padBytes(out, s, p, b, zeros);
    }

    private static void padBytes(ByteArrayOutputStream out, Spec s, byte[] prefix, byte[] body, boolean zeros) {
        long fill = Math.max(0, (long) s.width - prefix.length - body.length);
        if (fill > Integer.MAX_VALUE - 64 - out.size()) throw bad(s.format, s.at, "asks for a width of " + s.width + ": more than a Java array holds");
        if (s.minus) {
            out.writeBytes(prefix); out.writeBytes(body); repeat(out, ' ', fill);
        } else if (zeros) {
            out.writeBytes(prefix); repeat(out, '0', fill); out.writeBytes(body);
        } else {
            repeat(out, ' ', fill); out.writeBytes(prefix); out.writeBytes(body);
        }
    }

    private static void repeat(ByteArrayOutputStream out, char c, long n) {
        for (long k = 0; k < n; k++) out.write(c);
    }

    // ---- characters, strings, pointers -------------------------------------------------------

    private static void character(ByteArrayOutputStream out, Spec s, Object a) {
        if (!s.length.isEmpty()) throw bad(s, a, "no length modifier (wide characters are not supported)");
        long v = integral(s, a);
        padBytes(out, s, new byte[0], new byte[] {(byte) v}, false);
    }

    private static void string(ByteArrayOutputStream out, Spec s, Object a) {
        if (!s.length.isEmpty()) throw bad(s, a, "no length modifier (wide strings are not supported)");
        byte[] body;
        if (a == null || a instanceof MemorySegment m && m.equals(MemorySegment.NULL)) {
            // glibc prints "(null)" for a NULL string, or nothing when the precision cannot hold it all
            body = s.precision < 0 || s.precision >= 6 ? "(null)".getBytes(StandardCharsets.ISO_8859_1) : new byte[0];
        } else if (a instanceof String str) {
            body = str.getBytes(StandardCharsets.UTF_8);
            int nul = indexOf(body, (byte) 0);
            int n = nul >= 0 ? nul : body.length;
            if (s.precision >= 0) n = Math.min(n, s.precision);
            if (n != body.length) body = java.util.Arrays.copyOf(body, n);
        } else if (a instanceof MemorySegment m) {
            // Never read past the precision (C does not) nor past the segment (C would)
            long n = 0, limit = s.precision >= 0 ? s.precision : Long.MAX_VALUE;
            while (n < limit) {
                if (n >= m.byteSize()) throw new IndexOutOfBoundsException("printf: " + s.text() + " reads a string with no NUL within its segment of " + m.byteSize() + " bytes");
                if (m.get(ValueLayout.JAVA_BYTE, n) == 0) break;
                n++;
            }
            body = m.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } else {
            throw bad(s, a, "a String or a NUL-terminated MemorySegment");
        }
        padBytes(out, s, new byte[0], body, false);
    }

    static int indexOf(byte[] b, byte v) {
        for (int k = 0; k < b.length; k++) if (b[k] == v) return k;
        return -1;
    }

    private static void pointer(ByteArrayOutputStream out, Spec s, Object a) {
        long address;
        if (a == null) address = 0;
        else if (a instanceof MemorySegment m && m.isNative()) address = m.address();
        else throw bad(s, a, "a native MemorySegment (or NULL)");
        if (address == 0) { padBytes(out, s, new byte[0], "(nil)".getBytes(StandardCharsets.ISO_8859_1), false); return; }
        // glibc prints a pointer as %#lx would, with the sign flags honoured
        String prefix = (s.plus ? "+" : s.space ? " " : "") + "0x";
        String digits = Long.toHexString(address);
        if (s.precision > digits.length()) digits = "0".repeat(s.precision - digits.length()) + digits;
        pad(out, s, prefix, digits, s.zero && s.precision < 0);
    }

    private static Runnable countStore(Spec s, Object a, int count) {
        long size = switch (s.length) {
            case "hh" -> 1; case "h" -> 2; case "" -> 4; case "l", "ll", "j", "z", "t" -> 8;
            default -> throw bad(s, a, "no length modifier L");
        };
        if (!(a instanceof MemorySegment m) || m.equals(MemorySegment.NULL))
            throw bad(s, a, "a MemorySegment to store the count in");
        if (m.byteSize() < size) throw new IndexOutOfBoundsException("printf: " + s.text() + " stores " + size + " bytes into a segment of " + m.byteSize());
        if (m.isReadOnly()) throw bad(s, a, "a writable MemorySegment");
        return () -> {
            switch ((int) size) {
                case 1 -> m.set(ValueLayout.JAVA_BYTE, 0, (byte) count);
                case 2 -> m.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) count);
                case 4 -> m.set(ValueLayout.JAVA_INT_UNALIGNED, 0, count);
                default -> m.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, count);
            }
        };
    }

    // ---- floating point ----------------------------------------------------------------------

    private static void floating(ByteArrayOutputStream out, Spec s, Object a) {
        if (!(s.length.isEmpty() || s.length.equals("l") || s.length.equals("L")))
            throw bad(s, a, "no length modifier " + s.length);
        double v;
        if (a instanceof Double d) v = d;
        else if (a instanceof Float fl) v = fl; // C passes a float to printf as a double
        else throw bad(s, a, "a double (or float)");
        boolean negative = (Double.doubleToRawLongBits(v) & Long.MIN_VALUE) != 0;
        String sign = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
        boolean upper = Character.isUpperCase(s.conversion);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            String t = Double.isNaN(v) ? "nan" : "inf";
            pad(out, s, sign, upper ? t.toUpperCase() : t, false);
            return;
        }
        if (Character.toLowerCase(s.conversion) == 'a') {
            if (s.length.equals("L")) throw bad(s, a, "no L (a long double's %La digits are not a double's)");
            String body = hexadecimal(Math.abs(v), s.precision, s.alt);
            pad(out, s, sign + (upper ? "0X" : "0x"), upper ? body.toUpperCase() : body, s.zero);
            return;
        }
        int precision = s.precision < 0 ? 6 : s.precision;
        BigDecimal exact = new BigDecimal(Math.abs(v));
        String body = switch (Character.toLowerCase(s.conversion)) {
            case 'f' -> fixed(exact, precision, s.alt);
            case 'e' -> scientific(exact, precision, s.alt, upper);
            default -> general(exact, precision, s.alt, upper);
        };
        pad(out, s, sign, body, s.zero);
    }

    /**
     * %a as glibc prints a double: the leading digit (1, or 0 for zero and subnormals), the 52 bits
     * of the fraction as 13 hex digits (trailing zeros dropped when no precision is given), rounded
     * to the precision half to even, a carry going into the leading digit ("0x2.0p+0"), then the
     * binary exponent in decimal.
     */
    private static String hexadecimal(double v, int precision, boolean alt) {
        long bits = Double.doubleToRawLongBits(v);
        long fraction = bits & ((1L << 52) - 1);
        int biased = (int) (bits >>> 52) & 0x7ff;
        long lead = biased == 0 ? 0 : 1;
        int exponent = biased == 0 ? (fraction == 0 ? 0 : -1022) : biased - 1023;
        String digits;
        if (precision < 0) {
            digits = String.format("%013x", fraction).replaceFirst("0+$", "");
        } else if (precision >= 13) {
            digits = String.format("%013x", fraction) + "0".repeat(precision - 13);
        } else {
            int shift = 4 * (13 - precision);
            long full = lead << 52 | fraction;
            long kept = full >>> shift, rest = full & ((1L << shift) - 1), half = 1L << (shift - 1);
            if (rest > half || rest == half && (kept & 1) == 1) kept++;
            lead = kept >>> (4 * precision);
            long frac = kept & ((1L << (4 * precision)) - 1);
            digits = precision == 0 ? "" : String.format("%0" + precision + "x", frac);
        }
        return lead + (digits.isEmpty() && !alt ? "" : ".") + digits + "p" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }

    private static String fixed(BigDecimal exact, int precision, boolean alt) {
        String t = exact.setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return precision == 0 && alt ? t + "." : t;
    }

    /** The digits (precision + 1 of them) and the decimal exponent of exact, rounded as %e rounds. */
    private static Object[] decimalDigits(BigDecimal exact, int precision) {
        if (exact.signum() == 0) return new Object[] {"0".repeat(precision + 1), 0};
        BigDecimal r = exact.round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        String digits = r.unscaledValue().toString();
        int exponent = digits.length() - 1 - r.scale();
        if (digits.length() > precision + 1) digits = digits.substring(0, precision + 1); // trailing zeros of a carry
        else digits = digits + "0".repeat(precision + 1 - digits.length());
        return new Object[] {digits, exponent};
    }

    private static String scientific(BigDecimal exact, int precision, boolean alt, boolean upper) {
        Object[] d = decimalDigits(exact, precision);
        String digits = (String) d[0];
        int exponent = (int) d[1];
        StringBuilder b = new StringBuilder().append(digits.charAt(0));
        if (precision > 0 || alt) b.append('.');
        b.append(digits, 1, digits.length());
        b.append(upper ? 'E' : 'e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) b.append('0');
        return b.append(e).toString();
    }

    private static String general(BigDecimal exact, int precision, boolean alt, boolean upper) {
        int p = precision == 0 ? 1 : precision;
        int x = (int) decimalDigits(exact, p - 1)[1];
        // glibc chooses the style by the exponent before rounding; when rounding then carries into
        // exponent p, it switches to %e keeping the fixed style's 0 fraction digits: %#.6g of
        // 999999.5 is "1.e+06" there, not C's "1.00000e+06". Reproduced, to print what glibc prints.
        boolean carried = exact.signum() != 0 && x == p && exact.precision() - exact.scale() - 1 == p - 1;
        String t = p > x && x >= -4 ? fixed(exact, p - 1 - x, alt) : scientific(exact, carried ? 0 : p - 1, alt, upper);
        if (alt) return t;
        int e = t.indexOf(upper ? 'E' : 'e');
        String mantissa = e < 0 ? t : t.substring(0, e), rest = e < 0 ? "" : t.substring(e);
        if (mantissa.indexOf('.') >= 0) {
            mantissa = mantissa.replaceFirst("0+$", "");
            if (mantissa.endsWith(".")) mantissa = mantissa.substring(0, mantissa.length() - 1);
        }
        return mantissa + rest;
    }
}
