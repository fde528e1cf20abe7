import java.util.List;

/** Writes the api's Errno enum: one constant per errno name of the platform, aliases as fields. */
final class ErrnoEnumWriter {
    private ErrnoEnumWriter() {}

    static String source(String banner, List<JavaWriter.ErrnoEntry> entries) {
        StringBuilder s = new StringBuilder(banner).append("\npackage io.github.panamasockets.api;\n\n");
        s.append("import io.github.panamasockets.bindings.SocketsConstants;\n\nimport java.util.Optional;\n\n");
        s.append("""
                /**
                 * errno values by name, so that {@code switch} works by name:
                 * {@snippet :
                 * switch (Errno.of(errno()).orElse(null)) {
                 *     case EAGAIN -> retryLater();
                 *     case ECONNREFUSED -> giveUp();
                 *     case null, default -> perror("connect");
                 * }
                 * }
                 * Aliases are fields naming the same constant ({@code EWOULDBLOCK == EAGAIN} on Linux), and a
                 * number this platform does not name gives an empty {@link #of(int)}: the number itself is
                 * kept wherever errno is reported ({@code errno()}, {@link ErrnoException#errno()}).
                 */
                public enum Errno {
                """);
        List<JavaWriter.ErrnoEntry> primaries = entries.stream().filter(e -> e.aliasOf() == null).toList();
        for (int i = 0; i < primaries.size(); i++) {
            JavaWriter.ErrnoEntry e = primaries.get(i);
            s.append("    /** ").append(e.message()).append(" */\n    ").append(e.name()).append("(SocketsConstants.").append(e.name()).append(")")
             .append(i == primaries.size() - 1 ? ";\n\n" : ",\n");
        }
        for (JavaWriter.ErrnoEntry e : entries) {
            if (e.aliasOf() == null) continue;
            s.append("    /** ").append(e.name()).append(" is another name of ").append(e.aliasOf()).append(" here. */\n")
             .append("    public static final Errno ").append(e.name()).append(" = ").append(e.aliasOf()).append(";\n\n");
        }
        s.append("""
                    private static final Errno[] BY_NUMBER;
                    static {
                        int max = 0;
                        for (Errno e : values()) max = Math.max(max, e.number);
                        BY_NUMBER = new Errno[max + 1];
                        for (Errno e : values()) BY_NUMBER[e.number] = e;
                    }

                    private final int number;

                    Errno(int number) {
                        this.number = number;
                    }

                    /** The errno number, as C's {@code errno} holds it. */
                    public int number() {
                        return number;
                    }

                    /** The constant for this number, or empty when the platform has no name for it. */
                    public static Optional<Errno> of(int number) {
                        return number >= 0 && number < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[number]) : Optional.empty();
                    }
                }
                """);
        return s.toString();
    }
}
