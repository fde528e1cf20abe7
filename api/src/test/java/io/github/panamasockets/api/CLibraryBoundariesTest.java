package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The edges of printf's and sscanf's parsing that C cannot be asked about (C leaves them
 * undefined, or the argument is a Java thing): the exact refusal, a string in a segment, the
 * byte count %n stores into a segment of exactly its size, a pointer's padding. Each case sits at
 * one comparison's boundary (mutation testing, issue 16).
 */
@ExtendWith(NoLeaks.class)
class CLibraryBoundariesTest {

    static String printf(String format, Object... args) {
        return new String(CFormat.format(format, args), StandardCharsets.ISO_8859_1);
    }

    static void refused(String message, String format, Object... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CFormat.format(format, args));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aFormatEndingInsideAConversionIsRefusedWhereverItEnds() {
        for (String f : new String[] {"%", "%-", "%5", "%5.", "%.5", "%.", "%h", "%l", "%hh", "%ll", "%-08.3l"})
            refused("printf format \"" + f + "\" at offset 0 ends inside a conversion", f, 1);
        refused("printf format \"ab%5\" at offset 2 ends inside a conversion", "ab%5", 1);
        refused("printf format \"ab%q\" at offset 2 has the conversion 'q', which this printf does not support", "ab%q", 1);
    }

    @Test
    void aRefusalNamesTheConversionAsWritten() {
        String integer = " wants an integer (int, long, short, byte or char), given String x";
        refused("printf format \"%d\": %d" + integer, "%d", "x");
        refused("printf format \"%-+ #05.3d\": %-+ #05.3d" + integer, "%-+ #05.3d", "x");
        refused("printf format \"%*.*d\": %0.0d" + integer, "%*.*d", 0, 0, "x"); // a * width of 0 is not negative
        refused("printf format \"%*.*d\": %-7.3d" + integer, "%*.*d", -7, 3, "x");
        refused("printf format \"%*d\" at offset 0 wants an int for * and has no argument", "%*d");
        refused("printf format \"%.*d\" at offset 0 wants an int for .*, given String", "%.*d", "x", 1);
        refused("printf format \"%.*d\" at offset 0 wants an int for .*, given null", "%.*d", null, 1);
        refused("printf format \"%d %d\": %d has no argument (only 1 given)", "%d %d", 1);
    }

    @Test
    void aLongWithoutLMustFitAnIntOrAnUnsignedInt() {
        assertEquals("-2147483648", printf("%d", (long) Integer.MIN_VALUE));
        assertEquals("4294967295", printf("%u", 0xffffffffL));
        assertEquals("-1", printf("%d", 0xffffffffL));
        refused("printf format \"%d\": %d wants an int (a long this large needs %ld), given Long -2147483649", "%d", Integer.MIN_VALUE - 1L);
        refused("printf format \"%u\": %u wants an int (a long this large needs %lu), given Long 4294967296", "%u", 0x100000000L);
    }

    @Test
    void aStringInASegmentStopsAtItsNulOrItsPrecision() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment abc = arena.allocate(4);
            abc.setString(0, "abc");
            assertEquals("[abc][][ab][abc][ abc]", printf("[%s][%.0s][%.2s][%.5s][%4s]", abc, abc, abc, abc, abc));
            MemorySegment noNul = arena.allocate(3);
            MemorySegment.copy(new byte[] {'x', 'y', 'z'}, 0, noNul, JAVA_BYTE, 0, 3);
            assertEquals("[xyz][xy][]", printf("[%.3s][%.2s][%.0s]", noNul, noNul, noNul));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> CFormat.format("%s", noNul));
            assertEquals("printf: %s reads a string with no NUL within its segment of 3 bytes", e.getMessage());
            assertEquals("[(null)][]", printf("[%s][%.0s]", MemorySegment.NULL, MemorySegment.NULL));
        }
    }

    @Test
    void aJavaStringStopsAtItsFirstNul() {
        assertEquals("[ab][][  ab]", printf("[%s][%s][%4s]", "ab\0cd", "\0abc", "ab\0cd"));
        assertEquals(2, CFormat.indexOf("ab\0cd".getBytes(StandardCharsets.UTF_8), (byte) 0));
        assertEquals(-1, CFormat.indexOf("abcd".getBytes(StandardCharsets.UTF_8), (byte) 0));
    }

    @Test
    void aPointerIsPaddedAsHashLxIs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(8);
            String hex = Long.toHexString(p.address());
            assertEquals("[0x" + "0".repeat(18 - hex.length()) + hex + "]", printf("[%020p]", p));
            assertEquals("[" + " ".repeat(18 - hex.length()) + "0x" + hex + "]", printf("[%20p]", p));
            assertEquals("[0x" + hex + " ".repeat(18 - hex.length()) + "]", printf("[%-20p]", p));
            assertEquals("[+0x" + "0".repeat(20 - hex.length()) + hex + "]", printf("[%+.20p]", p));
            assertEquals("[" + " ".repeat(18 - hex.length()) + "0x" + hex + "]", printf("[%020.3p]", p)); // a precision drops the 0 flag
            assertEquals("[" + " ".repeat(18 - hex.length()) + "0x" + hex + "]", printf("[%020.0p]", p)); // even a precision of 0
        }
    }

    @Test
    void percentNStoresIntoASegmentOfExactlyItsSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hh = arena.allocate(1), h = arena.allocate(2), i = arena.allocate(4), l = arena.allocate(8);
            assertEquals("abcdefgh", printf("a%hhnbc%hndef%ngh%ln", hh, h, i, l));
            assertEquals(1, hh.get(JAVA_BYTE, 0));
            assertEquals(3, h.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0));
            assertEquals(6, i.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0));
            assertEquals(8, l.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> CFormat.format("%n", arena.allocate(3)));
            assertEquals("printf: %n stores 4 bytes into a segment of 3", e.getMessage());
        }
    }

    // ---- sscanf ------------------------------------------------------------------------------

    static int scan(String input, String format, Object... args) {
        return CScan.scan(input.getBytes(StandardCharsets.ISO_8859_1), format, args);
    }

    static void scanRefused(String message, String input, String format, Object... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scan(input, format, args));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aScanFormatEndingInsideAConversionOrASetIsRefused() {
        int[] v = {0};
        for (String f : new String[] {"%", "%*", "%5", "%15", "%h", "%hh", "%l", "%*3l"})
            scanRefused("sscanf format \"" + f + "\" at offset 0 ends inside a conversion", "7", f, v);
        scanRefused("sscanf format \"7 %5\" at offset 2 ends inside a conversion", "7 8", "7 %5", v);
        scanRefused("sscanf format \"ab%q\" at offset 2 has the conversion 'q', which this sscanf does not support", "ab", "ab%q", v);
        byte[] text = new byte[8];
        for (String f : new String[] {"%[", "%[^", "%[abc", "%[a-", "%[]", "%[^]", "%3[a-z"})
            scanRefused("sscanf format \"" + f + "\" at offset 0 has a %[ with no closing ]", "abc", f, text);
        scanRefused("sscanf format \"%d %d\" at offset 3 has no pointer to store into (only 1 given)", "1 2", "%d %d", v);
        scanRefused("sscanf format \"%d\" at offset 0 stores a 4-byte integer: it wants a MemorySegment or a int[], given int[]", "1", "%d", (Object) new int[0]);
        scanRefused("sscanf format \"%hhd\" at offset 0 stores a 1-byte integer: it wants a MemorySegment or a byte[], given null", "1", "%hhd", (Object) null);
        scanRefused("sscanf format \"%lf\" at offset 0 stores a double: it wants a MemorySegment or a double[], given double[]", "1", "%lf", (Object) new double[0]);
        scanRefused("sscanf format \"%f\" at offset 0 stores a float: it wants a MemorySegment or a float[], given null", "1", "%f", (Object) null);
        scanRefused("sscanf format \"%f\" at offset 0 stores a float: it wants a MemorySegment or a float[], given float[]", "1", "%f", (Object) new float[0]);
        scanRefused("sscanf format \"%hhu\" at offset 0 stores a 1-byte integer: it wants a MemorySegment or a byte[], given byte[]", "1", "%hhu", (Object) new byte[0]);
        scanRefused("sscanf format \"%hx\" at offset 0 stores a 2-byte integer: it wants a MemorySegment or a short[], given short[]", "1", "%hx", (Object) new short[0]);
        scanRefused("sscanf format \"%lld\" at offset 0 stores a 8-byte integer: it wants a MemorySegment or a long[], given long[]", "1", "%lld", (Object) new long[0]);
        scanRefused("sscanf format \"%hd\" at offset 0 stores a 2-byte integer: it wants a MemorySegment or a short[], given int[]", "1", "%hd", (Object) new int[1]);
        scanRefused("sscanf format \"%s\" at offset 0 stores text: it wants a MemorySegment or a byte[], given null", "ab", "%s", (Object) null);
    }

    @Test
    void aScanStoresIntoTargetsOfExactlyTheirSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(1), h = arena.allocate(2), i = arena.allocate(4), l = arena.allocate(8),
                    f = arena.allocate(4), d = arena.allocate(8), s = arena.allocate(4), c = arena.allocate(3);
            assertEquals(8, scan("-1 300 70000 5000000000 1.5 2.25 abc xyz", "%hhd %hd %d %ld %f %lf %s %3c", b, h, i, l, f, d, s, c));
            assertEquals(-1, b.get(JAVA_BYTE, 0));
            assertEquals(300, h.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0));
            assertEquals(70000, i.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0));
            assertEquals(5000000000L, l.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0));
            assertEquals(1.5f, f.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, 0));
            assertEquals(2.25, d.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, 0));
            assertEquals("abc", s.getString(0));
            assertEquals("xyz", new String(c.toArray(JAVA_BYTE), StandardCharsets.ISO_8859_1));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> scan("abcd", "%s", s));
            assertEquals("sscanf format \"%s\" at offset 0: %s stores 5 bytes into a segment of 4", e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> scan("1", "%f", arena.allocate(3)));
            assertEquals("sscanf format \"%f\" at offset 0 stores 4 bytes into a segment of 3", e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> scan("1", "%ld", arena.allocate(7)));
            assertEquals("sscanf format \"%ld\" at offset 0 stores 8 bytes into a segment of 7", e.getMessage());
            byte[] three = new byte[3];
            e = assertThrows(IndexOutOfBoundsException.class, () -> scan("abc", "%s", (Object) three));
            assertEquals("sscanf format \"%s\" at offset 0: %s stores 4 bytes into a byte[3]", e.getMessage());
            assertEquals(1, scan("abc", "%3c", (Object) three));
            assertEquals("abc", new String(three, StandardCharsets.ISO_8859_1));
        }
        byte[] b = {9};
        short[] h = {9};
        int[] i = {9};
        long[] l = {9};
        float[] f = {9};
        double[] d = {9};
        assertEquals(6, scan("-2 -3 -4 -5 0.5 0.25", "%hhd %hd %d %lld %f %lf", b, h, i, l, f, d));
        assertEquals(-2, b[0]);
        assertEquals(-3, h[0]);
        assertEquals(-4, i[0]);
        assertEquals(-5, l[0]);
        assertEquals(0.5f, f[0]);
        assertEquals(0.25, d[0]);
    }
}
