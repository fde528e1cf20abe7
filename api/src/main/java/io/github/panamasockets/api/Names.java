package io.github.panamasockets.api;

import io.github.panamasockets.bindings.SocketsConstants;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The names of the platform's constants, by prefix, for the trace: 2 prints as AF_INET. */
final class Names {
    private Names() {}

    private static final Map<String, Map<Integer, String>> BY_PREFIX = new java.util.concurrent.ConcurrentHashMap<>();

    /** Every int constant whose name starts with {@code prefix}, by value (the first name wins on aliases). */
    static Map<Integer, String> of(String prefix) {
        return BY_PREFIX.computeIfAbsent(prefix, p -> {
            Map<Integer, String> names = new TreeMap<>();
            for (Field f : SocketsConstants.class.getFields()) {
                if (f.getType() != int.class || !Modifier.isStatic(f.getModifiers()) || !f.getName().startsWith(p)) continue;
                try {
                    names.putIfAbsent(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
            return names;
        });
    }

    /** A value by name, as strace prints it: the name, or the number when none fits. */
    static String value(String prefix, int value) {
        String n = of(prefix).get(value);
        return n != null ? n : String.valueOf(value);
    }

    /** A flag set as strace prints it: MSG_DONTWAIT|MSG_NOSIGNAL, with left-over bits in hex; 0 for none. */
    static String flags(String prefix, int value) {
        if (value == 0) return "0";
        List<String> parts = new ArrayList<>();
        int left = value;
        for (var e : of(prefix).entrySet()) {
            int bit = e.getKey();
            if (bit != 0 && Integer.bitCount(bit) == 1 && (left & bit) != 0) {
                parts.add(e.getValue());
                left &= ~bit;
            }
        }
        if (left != 0) parts.add("0x" + Integer.toHexString(left));
        return String.join("|", parts);
    }
}
