import java.util.List;
import java.util.Map;

/**
 * Writes the ctest-style verifier: a C program that checks every constant, size, alignment,
 * field offset and size, and every full prototype of the bindings against the real headers,
 * and prints what it checked so that the Java test can hold the Java bindings to the same values.
 */
final class CheckWriter {
    record Record(String javaName, String cSpelling, CType type, long size, long align) {}

    private final StringBuilder s = new StringBuilder();

    CheckWriter(String banner) {
        s.append(banner.replace("// ", "/* ").replaceFirst("$", " */")).append('\n');
        s.append("""
                #include "sockets.h"
                #include <stddef.h>
                #include <stdio.h>

                /* "ok WHAT NAME VALUE" for each item that matches; "bad WHAT NAME: bindings: X != c: Y" for each that doesn't. */
                static int failures;
                static void check(const char *what, const char *name, unsigned long long c, unsigned long long bindings) {
                    if (c == bindings) {
                        printf("ok %s %s %llu\\n", what, name, c);
                    } else {
                        printf("bad %s %s: bindings: %llu != c: %llu\\n", what, name, bindings, c);
                        failures++;
                    }
                }
                /* gcc's own view of a type: 1 integer, 5 pointer, 8 real, 12 record, 13 union. */
                #define CLASS_OF(T) __builtin_classify_type(*(T *)0)
                #define SIGNED(T) ((T)-1 < (T)0)
                #define PROTO(f, T) do { \\
                    if (__builtin_types_compatible_p(__typeof__(f), T)) printf("ok prototype %s %s\\n", #f, #T); \\
                    else { printf("bad prototype %s: bindings: %s != c\\n", #f, #T); failures++; } } while (0)

                int main(void) {
                """);
    }

    void constants(Map<String, Cc.Constant> constants) {
        for (Cc.Constant c : constants.values()) {
            s.append("    check(\"constant\", \"").append(c.name()).append("\", (unsigned long long)(").append(c.name())
             .append("), ").append(Long.toUnsignedString(c.bits())).append("ULL);\n");
        }
    }

    void record(Record r) {
        s.append("    check(\"size\", \"").append(r.javaName()).append("\", sizeof(").append(r.cSpelling()).append("), ").append(r.size()).append(");\n");
        s.append("    check(\"align\", \"").append(r.javaName()).append("\", _Alignof(").append(r.cSpelling()).append("), ").append(r.align()).append(");\n");
        members(r.javaName(), r.cSpelling(), "", r.type().canonical(), 0);
    }

    private void members(String javaName, String spelling, String path, CType c, long base) {
        for (CType.Member m : c.members) {
            if (m.isBitField() || m.name() == null) continue;
            String p = path.isEmpty() ? m.name() : path + "." + m.name();
            String field = "((" + spelling + " *)0)->" + p;
            s.append("    check(\"offset\", \"").append(javaName).append('.').append(p).append("\", offsetof(").append(spelling).append(", ").append(p)
             .append("), ").append(base + m.offset()).append(");\n");
            if (m.type().canonical().kind == CType.Kind.ARRAY && m.type().canonical().count == 0) continue; // flexible array member
            s.append("    check(\"fieldsize\", \"").append(javaName).append('.').append(p).append("\", sizeof(").append(field).append("), ")
             .append(m.type().byteSize()).append(");\n");
            CType t = m.type().canonical();
            if (t.kind == CType.Kind.BASE && !t.floating) {
                s.append("    check(\"signed\", \"").append(javaName).append('.').append(p).append("\", SIGNED(__typeof__(").append(field).append(")), ")
                 .append(t.unsigned ? 0 : 1).append(");\n");
            }
            if (t.isRecord() && !t.isPointerUnion() && t.name == null) members(javaName, spelling, p, t, base + m.offset());
        }
    }

    void function(String name, CType type, List<String> paramSpellings, String functionSpelling) {
        s.append("    PROTO(").append(name).append(", ").append(functionSpelling).append(");\n");
        CType ret = type.target == null ? CType.VOID : type.target;
        if (ret.canonical().kind != CType.Kind.VOID) {
            s.append("    check(\"return_size\", \"").append(name).append("\", sizeof(").append(ret.spell("")).append("), ").append(ret.byteSize()).append(");\n");
        }
        for (int i = 0; i < paramSpellings.size(); i++) {
            CType p = type.params.get(i).canonical();
            long size = p.kind == CType.Kind.ARRAY ? 8 : p.byteSize();
            s.append("    check(\"param_size\", \"").append(name).append('.').append(i).append("\", sizeof(").append(paramSpellings.get(i)).append("), ").append(size).append(");\n");
            s.append("    check(\"param_class\", \"").append(name).append('.').append(i).append("\", CLASS_OF(").append(paramSpellings.get(i)).append("), ")
             .append(typeClass(p)).append(");\n");
        }
    }

    private static int typeClass(CType c) {
        return switch (c.kind) {
            case POINTER, ARRAY -> 5;
            case STRUCT -> 12;
            case UNION -> 13;
            case BASE -> c.floating ? 8 : 1;
            case ENUM -> 1; // gcc classifies a C enum's value as an integer (getrlimit's __rlimit_resource_t)
            default -> 0;
        };
    }

    String source() {
        return s + "    printf(\"%d bad\\n\", failures);\n    return failures != 0;\n}\n";
    }
}
