package io.github.panamasockets.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * C's {@code <string.h>} on C strings held in segments, implemented in Java with C's results:
 * strlen, strnlen, strcmp, strncmp, strcasecmp, strncasecmp, strcpy, strncpy, strcat, strncat,
 * strchr, strrchr, strstr, strspn, strcspn, strtok_r, memcmp, memcpy, memmove, memchr.
 *
 * <p>A {@code char *} C returns into a buffer (strchr, strstr, strtok_r, memchr) is the slice of
 * the segment from that byte to its end, or {@code MemorySegment.NULL}; so
 * {@code buf[strcspn(buf, "\n")] = '\0';} ports as
 * {@code buf.set(JAVA_BYTE, strcspn(buf, "\n"), (byte) 0);}. Comparisons return what glibc's do:
 * the difference of the first two bytes that differ, as unsigned chars (0 when equal).
 *
 * <p>Where a C programmer passes a literal, a Java String does (its UTF-8 bytes).
 *
 * <p><b>Overflow.</b> C reads a string up to its NUL and writes wherever it is told; here a string
 * with no NUL within its segment, or a copy that does not fit its destination segment (strcpy into
 * a smaller buffer), throws IndexOutOfBoundsException before any byte is written: a C buffer
 * overflow becomes a segment bounds error, never a write outside the segment.
 */
public abstract class PosixString extends PosixStdlib {
    PosixString() {}

    /** Where the NUL of the C string in s is; none within the segment throws IndexOutOfBoundsException (C would read on). */
    static long terminated(MemorySegment s, String call) {
        long size = s.byteSize();
        for (long i = 0; i < size; i++) if (s.get(ValueLayout.JAVA_BYTE, i) == 0) return i;
        throw new IndexOutOfBoundsException(call + ": no NUL within the string's segment of " + size + " bytes (C would read past it)");
    }

    private static MemorySegment literal(String s) {
        byte[] b = PosixStdio.cbytes(s);
        return MemorySegment.ofArray(java.util.Arrays.copyOf(b, b.length + 1));
    }

    private static int at(MemorySegment s, long i) {
        return s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /** need is a size_t: a negative long is a count past any segment. */
    private static void fits(String call, MemorySegment dest, long need) {
        if (Long.compareUnsigned(need, dest.byteSize()) > 0)
            throw new IndexOutOfBoundsException(call + ": " + Long.toUnsignedString(need) + " bytes into a segment of " + dest.byteSize() + " (C's buffer overflow)");
    }

    // ---- lengths ---------------------------------------------------------------------------

    /** {@code size_t strlen(const char *s)}, strlen(3). */
    public static long strlen(MemorySegment s) {
        return terminated(s, "strlen");
    }

    /** {@code strlen} of a literal: its length in UTF-8 bytes. */
    public static long strlen(String s) {
        return PosixStdio.cbytes(s).length;
    }

    /** {@code size_t strnlen(const char *s, size_t maxlen)}, strnlen(3): reads at most maxlen bytes. */
    public static long strnlen(MemorySegment s, long maxlen) {
        for (long i = 0; Long.compareUnsigned(i, maxlen) < 0; i++) {
            if (i >= s.byteSize()) throw new IndexOutOfBoundsException("strnlen: maxlen " + maxlen + " runs past the segment of " + s.byteSize() + " bytes before a NUL");
            if (s.get(ValueLayout.JAVA_BYTE, i) == 0) return i;
        }
        return maxlen;
    }

    // ---- comparisons -----------------------------------------------------------------------

    /** {@code int strcmp(const char *s1, const char *s2)}, strcmp(3). */
    public static int strcmp(MemorySegment s1, MemorySegment s2) {
        return compare(s1, s2, -1, false, "strcmp");
    }

    /** {@code strcmp(s1, "literal")}. */
    public static int strcmp(MemorySegment s1, String s2) {
        return strcmp(s1, literal(s2));
    }

    /** {@code int strncmp(const char *s1, const char *s2, size_t n)}, strcmp(3): at most n bytes. */
    public static int strncmp(MemorySegment s1, MemorySegment s2, long n) {
        return compare(s1, s2, n, false, "strncmp");
    }

    /** {@code strncmp(s1, "literal", n)}. */
    public static int strncmp(MemorySegment s1, String s2, long n) {
        return strncmp(s1, literal(s2), n);
    }

    /** {@code int strcasecmp(const char *s1, const char *s2)}, strcasecmp(3): ASCII letters compare without case (the C locale). */
    public static int strcasecmp(MemorySegment s1, MemorySegment s2) {
        return compare(s1, s2, -1, true, "strcasecmp");
    }

    /** {@code strcasecmp(s1, "literal")}. */
    public static int strcasecmp(MemorySegment s1, String s2) {
        return strcasecmp(s1, literal(s2));
    }

    /** {@code int strncasecmp(const char *s1, const char *s2, size_t n)}, strcasecmp(3). */
    public static int strncasecmp(MemorySegment s1, MemorySegment s2, long n) {
        return compare(s1, s2, n, true, "strncasecmp");
    }

    /** {@code strncasecmp(s1, "literal", n)}. */
    public static int strncasecmp(MemorySegment s1, String s2, long n) {
        return strncasecmp(s1, literal(s2), n);
    }

    /** n of -1 is no limit (an unsigned n that large never ends before a NUL). */
    private static int compare(MemorySegment a, MemorySegment b, long n, boolean nocase, String call) {
        for (long i = 0; n == -1 || Long.compareUnsigned(i, n) < 0; i++) {
            if (i >= a.byteSize() || i >= b.byteSize()) throw new IndexOutOfBoundsException(call + ": a string with no NUL within its segment (C would read past it)");
            int x = at(a, i), y = at(b, i);
            if (nocase) { x = lower(x); y = lower(y); }
            if (x != y || x == 0) return x - y;
        }
        return 0;
    }

    /** {@code int memcmp(const void *s1, const void *s2, size_t n)}, memcmp(3). */
    public static int memcmp(MemorySegment s1, MemorySegment s2, long n) {
        if (n < 0 || n > s1.byteSize() || n > s2.byteSize()) throw new IndexOutOfBoundsException("memcmp: " + n + " bytes past a segment");
        long i = MemorySegment.mismatch(s1, 0, n, s2, 0, n);
        return i < 0 ? 0 : at(s1, i) - at(s2, i);
    }

    /** {@code memcmp(buf, "GET ", 4)}: the literal's bytes (a literal's NUL is one byte past its text). */
    public static int memcmp(MemorySegment s1, String s2, long n) {
        return memcmp(s1, literal(s2), n);
    }

    // ---- copies ----------------------------------------------------------------------------

    /** {@code char *strcpy(char *dest, const char *src)}, strcpy(3): dest. */
    public static MemorySegment strcpy(MemorySegment dest, MemorySegment src) {
        long n = terminated(src, "strcpy");
        fits("strcpy", dest, n + 1);
        MemorySegment.copy(src, 0, dest, 0, n);
        dest.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
        return dest;
    }

    /** {@code strcpy(dest, "literal")}. */
    public static MemorySegment strcpy(MemorySegment dest, String src) {
        return strcpy(dest, literal(src));
    }

    /** {@code char *strncpy(char *dest, const char *src, size_t n)}, strcpy(3): n bytes, NUL-padded, and no NUL if src has n or more. */
    public static MemorySegment strncpy(MemorySegment dest, MemorySegment src, long n) {
        fits("strncpy", dest, n);
        long len = strnlen(src, n);
        MemorySegment.copy(src, 0, dest, 0, len);
        dest.asSlice(len, n - len).fill((byte) 0);
        return dest;
    }

    /** {@code strncpy(dest, "literal", n)}. */
    public static MemorySegment strncpy(MemorySegment dest, String src, long n) {
        return strncpy(dest, literal(src), n);
    }

    /** {@code char *strcat(char *dest, const char *src)}, strcat(3): dest. */
    public static MemorySegment strcat(MemorySegment dest, MemorySegment src) {
        long d = terminated(dest, "strcat"), n = terminated(src, "strcat");
        fits("strcat", dest, d + n + 1);
        MemorySegment.copy(src, 0, dest, d, n);
        dest.set(ValueLayout.JAVA_BYTE, d + n, (byte) 0);
        return dest;
    }

    /** {@code strcat(dest, "literal")}. */
    public static MemorySegment strcat(MemorySegment dest, String src) {
        return strcat(dest, literal(src));
    }

    /** {@code char *strncat(char *dest, const char *src, size_t n)}, strcat(3): at most n bytes of src, then a NUL. */
    public static MemorySegment strncat(MemorySegment dest, MemorySegment src, long n) {
        long d = terminated(dest, "strncat"), len = strnlen(src, n);
        fits("strncat", dest, d + len + 1);
        MemorySegment.copy(src, 0, dest, d, len);
        dest.set(ValueLayout.JAVA_BYTE, d + len, (byte) 0);
        return dest;
    }

    /** {@code strncat(dest, "literal", n)}. */
    public static MemorySegment strncat(MemorySegment dest, String src, long n) {
        return strncat(dest, literal(src), n);
    }

    /** {@code void *memcpy(void *dest, const void *src, size_t n)}, memcpy(3): dest. n past either segment throws IndexOutOfBoundsException, writing nothing. */
    public static MemorySegment memcpy(MemorySegment dest, MemorySegment src, long n) {
        MemorySegment.copy(src, 0, dest, 0, n);
        return dest;
    }

    /** {@code memcpy(buf, "hello", 5)}. */
    public static MemorySegment memcpy(MemorySegment dest, String src, long n) {
        return memcpy(dest, literal(src), n);
    }

    /** {@code void *memmove(void *dest, const void *src, size_t n)}, memmove(3): as memcpy, overlap allowed. */
    public static MemorySegment memmove(MemorySegment dest, MemorySegment src, long n) {
        MemorySegment.copy(src, 0, dest, 0, n); // copies as if through a temporary buffer
        return dest;
    }

    // ---- searches --------------------------------------------------------------------------

    /** {@code char *strchr(const char *s, int c)}, strchr(3): the slice from the first c (c may be '\0'), or NULL. */
    public static MemorySegment strchr(MemorySegment s, int c) {
        long n = terminated(s, "strchr");
        int b = c & 0xff;
        for (long i = 0; i <= n; i++) if (at(s, i) == b) return s.asSlice(i);
        return MemorySegment.NULL;
    }

    /** {@code char *strrchr(const char *s, int c)}, strchr(3): the slice from the last c, or NULL. */
    public static MemorySegment strrchr(MemorySegment s, int c) {
        long n = terminated(s, "strrchr");
        int b = c & 0xff;
        for (long i = n; i >= 0; i--) if (at(s, i) == b) return s.asSlice(i);
        return MemorySegment.NULL;
    }

    /** {@code char *strstr(const char *haystack, const char *needle)}, strstr(3): the slice from the first match, or NULL. */
    public static MemorySegment strstr(MemorySegment haystack, MemorySegment needle) {
        long h = terminated(haystack, "strstr"), n = terminated(needle, "strstr");
        for (long i = 0; i + n <= h; i++)
            if (MemorySegment.mismatch(haystack, i, i + n, needle, 0, n) < 0) return haystack.asSlice(i);
        return MemorySegment.NULL;
    }

    /** {@code strstr(haystack, "literal")}. */
    public static MemorySegment strstr(MemorySegment haystack, String needle) {
        return strstr(haystack, literal(needle));
    }

    private static boolean[] byteSet(MemorySegment chars, String call) {
        boolean[] set = new boolean[256];
        long n = terminated(chars, call);
        for (long i = 0; i < n; i++) set[at(chars, i)] = true;
        return set;
    }

    /** {@code size_t strspn(const char *s, const char *accept)}, strspn(3): how many leading bytes of s are in accept. */
    public static long strspn(MemorySegment s, MemorySegment accept) {
        return span(s, byteSet(accept, "strspn"), true, "strspn");
    }

    /** {@code strspn(s, "literal")}. */
    public static long strspn(MemorySegment s, String accept) {
        return strspn(s, literal(accept));
    }

    /** {@code size_t strcspn(const char *s, const char *reject)}, strspn(3): how many leading bytes of s are not in reject. */
    public static long strcspn(MemorySegment s, MemorySegment reject) {
        return span(s, byteSet(reject, "strcspn"), false, "strcspn");
    }

    /** {@code strcspn(s, "literal")}: {@code buf[strcspn(buf, "\n")] = '\0'} is {@code buf.set(JAVA_BYTE, strcspn(buf, "\n"), (byte) 0)}. */
    public static long strcspn(MemorySegment s, String reject) {
        return strcspn(s, literal(reject));
    }

    private static long span(MemorySegment s, boolean[] set, boolean in, String call) {
        long n = terminated(s, call);
        for (long i = 0; i < n; i++) if (set[at(s, i)] != in) return i;
        return n;
    }

    /**
     * {@code char *strtok_r(char *str, const char *delim, char **saveptr)}, strtok(3): the next token
     * (its slice, now NUL-terminated in place), or NULL. {@code char *saveptr;} is a one-element
     * {@code MemorySegment[]} ({@code &saveptr} in C); pass str as NULL to go on with the same string.
     */
    public static MemorySegment strtok_r(MemorySegment str, MemorySegment delim, MemorySegment[] saveptr) {
        if (saveptr == null || saveptr.length < 1) throw new IllegalArgumentException("strtok_r: saveptr is a MemorySegment[1]");
        MemorySegment s = str == null || str.equals(MemorySegment.NULL) ? saveptr[0] : str;
        if (s == null || s.equals(MemorySegment.NULL)) return MemorySegment.NULL;
        boolean[] set = byteSet(delim, "strtok_r");
        long start = span(s, set, true, "strtok_r");
        if (at(s, start) == 0) { saveptr[0] = s.asSlice(start); return MemorySegment.NULL; }
        MemorySegment token = s.asSlice(start);
        long end = span(token, set, false, "strtok_r");
        if (at(token, end) == 0) saveptr[0] = token.asSlice(end);
        else {
            token.set(ValueLayout.JAVA_BYTE, end, (byte) 0);
            saveptr[0] = token.asSlice(end + 1);
        }
        return token;
    }

    /** {@code strtok_r(str, " \t", &saveptr)}. */
    public static MemorySegment strtok_r(MemorySegment str, String delim, MemorySegment[] saveptr) {
        return strtok_r(str, literal(delim), saveptr);
    }

    /** {@code void *memchr(const void *s, int c, size_t n)}, memchr(3): the slice from the first c in n bytes, or NULL. */
    public static MemorySegment memchr(MemorySegment s, int c, long n) {
        if (n < 0 || n > s.byteSize()) throw new IndexOutOfBoundsException("memchr: " + n + " bytes past a segment of " + s.byteSize());
        int b = c & 0xff;
        for (long i = 0; i < n; i++) if (at(s, i) == b) return s.asSlice(i);
        return MemorySegment.NULL;
    }
}
