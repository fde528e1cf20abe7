package io.github.panamasockets.samples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the C twins take from {@code <stdio.h>} and {@code <stdlib.h>} around the socket calls:
 * printf, fprintf, exit, and the command-line number parsing every twin does with strtol(3).
 * The socket calls themselves come from the facade ({@code io.github.panamasockets.api.Posix}).
 *
 * <p>Where a twin reads a /proc file with fopen and fgets, its port uses java.io's FileReader, not
 * java.nio.file: NIO's file channels load the JDK's libnet, which opens sockets of its own to probe
 * for IPv4 and IPv6, and those would stand among the sample's sockets in strace's view of the run.
 */
final class Stdlib {
    private Stdlib() {}

    static final PrintStream stdout = System.out;
    static final PrintStream stderr = System.err;

    /**
     * {@code printf(3)} with Java's format syntax: {@code %d} for every integer type (C's %zd, %ld),
     * {@code %s} for text ({@code %.*s} is {@code cstring(buf, n)}). Each call writes its text in one
     * write(2), and System.out flushes it at once: what {@code setvbuf(stdout, NULL, _IOLBF, 0)}
     * gives the C twins, so a test reading the output through a pipe sees each line when printed.
     */
    static void printf(String format, Object... args) {
        fprintf(stdout, format, args);
    }

    /** {@code fprintf(3)}: as {@link #printf}, on the given stream (stderr). */
    static void fprintf(PrintStream stream, String format, Object... args) {
        stream.print(String.format(Locale.ROOT, format, args));
        stream.flush();
    }

    /** {@code exit(3)}: never returns. Java's shutdown hooks run as C's atexit handlers would. */
    static void exit(int status) {
        System.exit(status);
    }

    // strtol(3)'s syntax: leading white space, an optional sign, digits, and nothing after them.
    private static final Pattern DECIMAL = Pattern.compile("[ \\t\\n\\u000b\\f\\r]*([+-]?)(\\d+)");

    /** A number from the command line in min..max, or -1 if the text is not one (the twins' parse_int). */
    static int parse_int(String s, int min, int max) {
        Matcher m = DECIMAL.matcher(s);
        if (!m.matches()) return -1;
        String digits = m.group(2).replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 18) return -1; // far outside any range asked for
        long value = Long.parseLong(digits) * (m.group(1).equals("-") ? -1 : 1);
        if (value < min || value > max) return -1;
        return (int) value;
    }

    /** A port number from the command line: 0..65535, or -1 if the text is not one (the twins' parse_port). */
    static int parse_port(String s) {
        return parse_int(s, 0, 65535);
    }
}
