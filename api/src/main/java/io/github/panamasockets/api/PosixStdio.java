package io.github.panamasockets.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * C's {@code <stdio.h>} as socket programs use it: printf, fprintf, puts, fputs, putchar,
 * snprintf, sprintf and sscanf, with C's format language and C's return values.
 *
 * <p><b>The format language</b> is C's, implemented in Java (no native printf is called, so no
 * argument can crash the JVM): flags {@code - + space # 0}, a width and a precision (either may be
 * {@code *}, taking an int argument), the length modifiers {@code hh h l ll j z t} (and {@code L}
 * for a double), and the conversions {@code d i u o x X c s p f F e E g G n %}. The text is the
 * one glibc prints, byte for byte: floating point is expanded exactly and rounded to nearest,
 * ties to even, as glibc does. Java's own format syntax does not apply: {@code %n} is C's.
 *
 * <p><b>Arguments</b> are the Java values C's would become:
 * <ul>
 * <li>integer conversions take an Integer, Long, Short, Byte or Character, converted to the type
 *     the length modifier names as a C cast would ({@code %hhd} of 300 prints 44, {@code %u} of
 *     -1 prints 4294967295); a long that fits neither an int nor an unsigned int, given to a
 *     conversion without {@code l}, is refused (C would print a wrong number);</li>
 * <li>{@code %c} takes the same, as an unsigned char; {@code %s} a String (its UTF-8 bytes) or a
 *     NUL-terminated MemorySegment, read no further than the precision; null or NULL prints
 *     {@code (null)} as glibc does; {@code %p} a MemorySegment (its address; NULL is {@code (nil)});</li>
 * <li>{@code %f %e %g} take a Double or a Float;</li>
 * <li>{@code %n} stores the count of bytes so far into a MemorySegment, as an int (a char with
 *     {@code hh}, a short with {@code h}, a long with {@code l}), once the whole text is built.</li>
 * </ul>
 * An argument of the wrong type, a missing argument, or an unsupported conversion throws
 * IllegalArgumentException; a {@code %s} segment with no NUL within it, or a {@code %n} segment
 * too small, throws IndexOutOfBoundsException. Either is thrown before anything is written.
 * Arguments beyond those the format uses are ignored, as in C.
 *
 * <p><b>Output.</b> {@code stdout} is Java's {@code System.out} and {@code stderr} is
 * {@code System.err}, so the companion's text and Java's come out in program order. stderr is
 * flushed at every call; stdout at every newline, as C's stdout is on a terminal. C's stdout into
 * a pipe or a file is fully buffered (flushed when its buffer fills, or at exit); the companion
 * flushes at newlines there too, so a reader of the pipe sees each line when it is printed, as
 * a C program with {@code setvbuf(stdout, NULL, _IOLBF, 0)} gives it.
 *
 * <p><b>Buffers.</b> sprintf and snprintf write into a segment. A text that does not fit the
 * segment (C's buffer overflow) throws IndexOutOfBoundsException before any byte is written.
 */
public abstract class PosixStdio extends PosixString {
    PosixStdio() {}

    /** C's {@code stdout}: Java's System.out. */
    public static final FILE stdout = FILE.STDOUT;

    /** C's {@code stderr}: Java's System.err. */
    public static final FILE stderr = FILE.STDERR;

    /** C's {@code EOF}. */
    public static final int EOF = -1;

    /** {@code int printf(const char *format, ...)}, printf(3): the number of bytes written. */
    public static int printf(String format, Object... args) {
        return fprintf(stdout, format, args);
    }

    /** {@code int fprintf(FILE *stream, const char *format, ...)}, printf(3): the number of bytes written. */
    public static int fprintf(FILE stream, String format, Object... args) {
        byte[] text = CFormat.format(format, args);
        stream.write(text);
        return text.length;
    }

    /**
     * {@code int snprintf(char *str, size_t size, const char *format, ...)}, printf(3): writes at most
     * size - 1 bytes and a NUL (nothing when size is 0), and returns the length the whole text has,
     * so that a result of size or more says it was truncated. A size larger than str throws
     * IndexOutOfBoundsException (C would write past the buffer), before anything is written.
     */
    public static int snprintf(MemorySegment str, long size, String format, Object... args) {
        if (size < 0) throw new IllegalArgumentException("snprintf: a size_t of " + Long.toUnsignedString(size));
        if (size > 0 && size > str.byteSize())
            throw new IndexOutOfBoundsException("snprintf: size " + size + " is larger than the buffer, a segment of " + str.byteSize() + " bytes");
        byte[] text = CFormat.format(format, args);
        if (size > 0) {
            int n = (int) Math.min(text.length, size - 1);
            MemorySegment.copy(text, 0, str, ValueLayout.JAVA_BYTE, 0, n);
            str.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
        }
        return text.length;
    }

    /**
     * {@code int sprintf(char *str, const char *format, ...)}, printf(3): the text and a NUL into str;
     * returns the text's length. A text that does not fit str (C's buffer overflow) throws
     * IndexOutOfBoundsException and writes nothing.
     */
    public static int sprintf(MemorySegment str, String format, Object... args) {
        byte[] text = CFormat.format(format, args);
        if (text.length + 1L > str.byteSize())
            throw new IndexOutOfBoundsException("sprintf: " + (text.length + 1) + " bytes (with the NUL) into a segment of " + str.byteSize());
        MemorySegment.copy(text, 0, str, ValueLayout.JAVA_BYTE, 0, text.length);
        str.set(ValueLayout.JAVA_BYTE, text.length, (byte) 0);
        return text.length;
    }

    /** {@code int puts(const char *s)}, puts(3): s and a newline on stdout; a non-negative number. */
    public static int puts(String s) {
        return fputs(s + "\n", stdout) < 0 ? EOF : 1;
    }

    /** {@code int puts(const char *s)} of a NUL-terminated segment. */
    public static int puts(MemorySegment s) {
        byte[] b = cbytes(s, "puts");
        byte[] line = java.util.Arrays.copyOf(b, b.length + 1);
        line[b.length] = '\n';
        stdout.write(line);
        return 1;
    }

    /** {@code int fputs(const char *s, FILE *stream)}, puts(3): s without a newline; a non-negative number. */
    public static int fputs(String s, FILE stream) {
        stream.write(cbytes(s));
        return 1;
    }

    /** {@code int fputs(const char *s, FILE *stream)} of a NUL-terminated segment. */
    public static int fputs(MemorySegment s, FILE stream) {
        stream.write(cbytes(s, "fputs"));
        return 1;
    }

    /** {@code int putchar(int c)}, puts(3): c as an unsigned char on stdout; returns that char. */
    public static int putchar(int c) {
        stdout.write(new byte[] {(byte) c});
        return c & 0xff;
    }

    /** {@code int fputc(int c, FILE *stream)}, puts(3). */
    public static int fputc(int c, FILE stream) {
        stream.write(new byte[] {(byte) c});
        return c & 0xff;
    }

    /** {@code int fflush(FILE *stream)}, fflush(3): 0. */
    public static int fflush(FILE stream) {
        if (stream == null) { stdout.flush(); stderr.flush(); } else stream.flush();
        return 0;
    }

    // ---- sscanf ----------------------------------------------------------------------------

    /**
     * {@code int sscanf(const char *str, const char *format, ...)}, scanf(3): the number of
     * conversions assigned, or EOF when the input ends before the first conversion.
     *
     * <p>Conversions: {@code d i u o x X c s [set] n %} (with widths, {@code *} to skip, and the
     * length modifiers {@code hh h l ll j z t}). Each pointer is a MemorySegment that receives what
     * C would store there: an int (a char with {@code hh}, a short with {@code h}, a long with
     * {@code l ll j z t}) for the numbers and {@code %n}, bytes and a NUL for {@code %s} and
     * {@code %[}, bytes without a NUL for {@code %c}. Java arrays serve as well ({@code int[]},
     * {@code long[]}, {@code short[]}, {@code byte[]} of the matching size; {@code byte[]} for
     * text). Numbers convert as glibc's do, through strtol/strtoul, then to the stored type as a C
     * cast would.
     *
     * <p>All stores are checked before the first is made: a segment too small for what C would
     * store there (C's overflow) throws IndexOutOfBoundsException, a pointer of the wrong kind
     * IllegalArgumentException, and nothing is stored.
     */
    public static int sscanf(MemorySegment str, String format, Object... args) {
        return CScan.scan(cbytes(str, "sscanf"), format, args);
    }

    /** {@code sscanf} of a Java String (its UTF-8 bytes, up to a NUL if it holds one). */
    public static int sscanf(String str, String format, Object... args) {
        return CScan.scan(cbytes(str), format, args);
    }

    /** The bytes of a C string held by a segment, up to its NUL; none within the segment throws IndexOutOfBoundsException. */
    static byte[] cbytes(MemorySegment s, String call) {
        if (s == null || s.equals(MemorySegment.NULL)) throw new IllegalArgumentException(call + ": a NULL string");
        return s.asSlice(0, PosixString.terminated(s, call)).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The bytes C sees of a Java String literal: its UTF-8, up to a NUL if it holds one. */
    static byte[] cbytes(String s) {
        if (s == null) throw new IllegalArgumentException("a NULL string");
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int nul = CFormat.indexOf(b, (byte) 0);
        return nul < 0 ? b : java.util.Arrays.copyOf(b, nul);
    }
}
