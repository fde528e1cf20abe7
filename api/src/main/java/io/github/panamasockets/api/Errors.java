package io.github.panamasockets.api;

import io.github.panamasockets.bindings.ErrnoTable;

import java.util.HashMap;
import java.util.Map;

/** errno's names and texts, from the generated table of the platform: the one place they come from. */
final class Errors {
    private Errors() {}

    private static final Map<Integer, ErrnoTable.Entry> BY_NUMBER = new HashMap<>();
    static {
        for (ErrnoTable.Entry e : ErrnoTable.ENTRIES) BY_NUMBER.putIfAbsent(e.number(), e); // primary names come first
    }

    /** "EADDRINUSE", or the number itself when the platform has no name for it. */
    static String name(int errno) {
        ErrnoTable.Entry e = BY_NUMBER.get(errno);
        return e != null ? e.name() : String.valueOf(errno);
    }

    /**
     * strerror(3)'s text, as glibc prints it in the C locale, "Unknown error N" for other numbers.
     * 0 is no error, so the table of errors has no entry for it; glibc calls it "Success".
     */
    static String message(int errno) {
        if (errno == 0) return "Success";
        ErrnoTable.Entry e = BY_NUMBER.get(errno);
        return e != null ? e.message() : "Unknown error " + errno;
    }
}
