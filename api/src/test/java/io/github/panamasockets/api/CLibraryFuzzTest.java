package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random formats, arguments and buffers through the companion's writing functions. Every buffer is
 * a slice in the middle of a guard pattern: a call either succeeds and changes nothing outside its
 * buffer, or throws IllegalArgumentException or IndexOutOfBoundsException and changes nothing at all.
 */
@ExtendWith(NoLeaks.class)
class CLibraryFuzzTest {
    static final String[] PIECES = {"%", "d", "i", "u", "o", "x", "X", "c", "s", "p", "f", "e", "g", "G", "n", "a", "%%", "-", "+", " ", "#",
            "0", "5", "12", "*", ".", ".3", ".*", "h", "hh", "l", "ll", "z", "j", "t", "L", "[", "]", "^", "a-z", "abc", " ", "\n", "é", "\0", "q"};

    static String randomFormat(Random rnd) {
        StringBuilder f = new StringBuilder();
        for (int k = rnd.nextInt(8); k >= 0; k--) f.append(PIECES[rnd.nextInt(PIECES.length)]);
        return f.toString();
    }

    static Object randomArg(Random rnd, Arena arena, MemorySegment buffer) {
        return switch (rnd.nextInt(14)) {
            case 0 -> rnd.nextInt();
            case 1 -> rnd.nextInt(200) - 100;
            case 2 -> rnd.nextLong();
            case 3 -> Double.longBitsToDouble(rnd.nextLong());
            case 4 -> rnd.nextDouble() * 1000;
            case 5 -> "text";
            case 6 -> null;
            case 7 -> MemorySegment.NULL;
            case 8 -> arena.allocate(rnd.nextInt(8)).fill((byte) 'x'); // unterminated, maybe empty
            case 9 -> arena.allocateFrom("seg");
            case 10 -> new int[1];
            case 11 -> buffer.asSlice(0, rnd.nextInt((int) buffer.byteSize() + 1));
            case 12 -> (short) rnd.nextInt();
            default -> new Object();
        };
    }

    @Test
    void nothingIsWrittenOutsideABufferAndFailuresWriteNothing() {
        Random rnd = new Random(9_2026);
        int calls = 0, refused = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment guard = arena.allocate(256);
            for (int k = 0; k < 30_000; k++) {
                guard.fill((byte) 0xAA);
                long offset = 64 + rnd.nextInt(32), size = rnd.nextInt(40);
                MemorySegment buf = guard.asSlice(offset, size);
                if (rnd.nextBoolean() && size > 0) buf.set(JAVA_BYTE, rnd.nextInt((int) size), (byte) 0);
                byte[] before = guard.toArray(JAVA_BYTE);
                String format = randomFormat(rnd);
                Object[] args = new Object[rnd.nextInt(4)];
                for (int a = 0; a < args.length; a++) args[a] = randomArg(rnd, arena, buf);
                MemorySegment other = rnd.nextBoolean() ? arena.allocateFrom(format) : guard.asSlice(offset + size / 2, size - size / 2);
                long n = rnd.nextInt(48) - 4;
                int call = rnd.nextInt(10);
                try {
                    calls++;
                    switch (call) {
                        case 0 -> snprintf(buf, n, format, args);
                        case 1 -> sprintf(buf, format, args);
                        case 2 -> sscanf(other, format, args);
                        case 3 -> strcpy(buf, other);
                        case 4 -> strcat(buf, other);
                        case 5 -> strncpy(buf, other, n);
                        case 6 -> strncat(buf, other, n);
                        case 7 -> memmove(buf, other, n);
                        case 8 -> strtok_r(buf, other, new MemorySegment[1]);
                        default -> strtol(buf, MemorySegment.NULL, (int) n);
                    }
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    refused++;
                    assertArrayEquals(before, guard.toArray(JAVA_BYTE), "call " + call + " threw " + e + " and changed bytes: \"" + format + "\"");
                    continue;
                } catch (RuntimeException e) {
                    fail("call " + call + " with \"" + format + "\" threw " + e, e);
                }
                byte[] after = guard.toArray(JAVA_BYTE);
                for (int i = 0; i < after.length; i++)
                    if (i < offset || i >= offset + size) assertEquals(before[i], after[i], "call " + call + " wrote at " + (i - offset) + " outside its buffer of " + size);
            }
        }
        System.out.println("CLibraryFuzzTest: " + calls + " calls, " + refused + " refused with IllegalArgumentException or IndexOutOfBoundsException");
    }
}
