package io.github.panamasockets.api;

import io.github.panamasockets.bindings.SocketsConstants;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The names of the platform's constants, by prefix, for the trace: 2 prints as AF_INET. */
final class Names {
    private Names() {}

    private static final Map<String, Map<Integer, String>> BY_PREFIX = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Names that share a prefix and a value with the name strace prints, but mean something else
     * there: a value of an option or a field (TCP_CLOSING, a tcpi_state, is 11 as TCP_INFO is;
     * IP_PMTUDISC_DO is 2 as IP_TTL is; F_EXLCK, a lock type, is 4 as F_SETFL is; F_OWNER_PGRP, an
     * f_owner_ex type, is 2 as F_SETFD is), or an alias
     * strace does not print (AF_LOCAL and AF_FILE for AF_UNIX, IPPROTO_HOPOPTS for IPPROTO_IP).
     * Such a name is shown only for a value that has no other name.
     */
    private static final Pattern NOT_FIRST_CHOICE = Pattern.compile(String.join("|",
            "AF_FILE|AF_LOCAL|PF_FILE|PF_LOCAL|IPPROTO_HOPOPTS",
            "TCP_(ESTABLISHED|SYN_SENT|SYN_RECV|FIN_WAIT1|FIN_WAIT2|TIME_WAIT|CLOSE|CLOSE_WAIT|LAST_ACK|LISTEN|CLOSING)",
            "TCP_(REPAIR_ON|REPAIR_OFF|REPAIR_OFF_NO_WP|MAXWIN|MAX_WINSHIFT|MSS_DEFAULT|MSS_DESIRED|MD5SIG_FLAG_PREFIX|MD5SIG_MAXKEYLEN)",
            "TCP_(COOKIE|S_DATA)_\\w+",
            "IP_(PMTUDISC_\\w+|DEFAULT_MULTICAST_\\w+|MAX_MEMBERSHIPS|MAXPACKET|DF|MF|RF|OFFMASK)",
            "IPV6_(PMTUDISC_\\w+|RTHDR_LOOSE|RTHDR_STRICT|RTHDR_TYPE_0)",
            "F_(RDLCK|WRLCK|UNLCK|EXLCK|SHLCK|LOCK|TLOCK|ULOCK|TEST|OK|SEAL_\\w+|OWNER_\\w+)",
            "SIGEV_\\w+|SIG_\\w+")); // sigevent's notify values and sigprocmask's how: SIGEV_THREAD is 2 as SIGINT is

    /**
     * Every int constant whose name starts with {@code prefix}, by value: on aliases the first name
     * wins, unless it is {@linkplain #NOT_FIRST_CHOICE not the one strace prints}.
     */
    static Map<Integer, String> of(String prefix) {
        return BY_PREFIX.computeIfAbsent(prefix, p -> {
            Map<Integer, String> names = new TreeMap<>(Integer::compareUnsigned); // flags in bit order: EPOLLET (bit 31) last
            List<Field> secondChoices = new ArrayList<>();
            for (Field f : SocketsConstants.class.getFields()) {
                if (f.getType() != int.class || !Modifier.isStatic(f.getModifiers()) || !f.getName().startsWith(p)) continue;
                if (NOT_FIRST_CHOICE.matcher(f.getName()).matches()) secondChoices.add(f);
                else names.putIfAbsent(intValue(f), f.getName());
            }
            for (Field f : secondChoices) names.putIfAbsent(intValue(f), f.getName());
            return names;
        });
    }

    private static int intValue(Field f) {
        try {
            return f.getInt(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
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
