package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** strerror(n) and perror(s) print exactly what C prints: a C program compiled now is the reference. */
@ExtendWith(NoLeaks.class)
class StrerrorMatchesCTest {
    static final int[] PERROR_NUMBERS = {0, 1, 4, 9, 11, 14, 22, 41, 88, 98, 104, 110, 111, 133, 134, 140, 9999, -1};

    static final String C = """
            #include <errno.h>
            #include <stdio.h>
            #include <string.h>
            int main(void) {
                /* no setlocale(): the C locale, as the facade's texts are */
                for (int n = 0; n <= 140; n++) printf("%d\\t%s\\n", n, strerror(n));
                printf("%d\\t%s\\n", 9999, strerror(9999));
                printf("%d\\t%s\\n", -1, strerror(-1));
                fflush(stdout);
                int numbers[] = {NUMBERS};
                for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
                    errno = numbers[i]; perror("bind");
                    errno = numbers[i]; perror("");
                    errno = numbers[i]; perror(NULL);
                    errno = numbers[i]; perror("connect to 127.0.0.1");
                }
                return 0;
            }
            """;

    @Test
    void strerrorAndPerrorPrintWhatCPrints(@TempDir Path dir) throws Exception {
        assumeTrue(Child.haveCc(), "cc is not installed: cannot build the C reference");
        StringBuilder numbers = new StringBuilder();
        for (int n : PERROR_NUMBERS) numbers.append(numbers.isEmpty() ? "" : ", ").append(n);
        Path exe = Child.cc(dir, "strerror", C.replace("NUMBERS", numbers));
        Child.Result c = Child.run(dir, List.of(exe.toString()), 30);
        assertEquals(0, c.exit(), c.stderr());

        List<String> expected = c.lines();
        List<String> actual = new ArrayList<>();
        for (int n = 0; n <= 140; n++) actual.add(n + "\t" + strerror(n));
        actual.add(9999 + "\t" + strerror(9999));
        actual.add(-1 + "\t" + strerror(-1));
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), "strerror line " + i);

        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (int n : PERROR_NUMBERS) {
                errno(n); perror("bind");
                errno(n); perror("");
                errno(n); perror(null);
                errno(n); perror("connect to 127.0.0.1");
            }
        } finally {
            System.setErr(saved);
            errno(0);
        }
        assertEquals(c.stderr(), captured.toString(StandardCharsets.UTF_8), "perror's output, byte for byte");
    }

    @Test
    void perrorUsesThisThreadsErrno() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(-1, close(-1));
            perror("close");
        } finally {
            System.setErr(saved);
        }
        assertEquals("close: Bad file descriptor\n", captured.toString(StandardCharsets.UTF_8));
    }
}
