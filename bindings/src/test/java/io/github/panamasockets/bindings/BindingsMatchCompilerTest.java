package io.github.panamasockets.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ctest's idea, one step further: the generated C program checks every constant, size,
 * alignment, field offset, field size, signedness and full prototype against the real headers
 * (gcc's __builtin_types_compatible_p for the prototypes); every value it confirms is then held
 * against the Java bindings here, so a mismatch anywhere fails with the item and both values.
 */
class BindingsMatchCompilerTest {

    @Test
    void everyItemMatchesTheCompilerAndTheJavaBindings(@TempDir Path tmp) throws Exception {
        Path root = ProjectFiles.root();
        Path exe = tmp.resolve("check_bindings");
        var build = ProjectFiles.run(root, List.of(System.getenv().getOrDefault("CC", "cc"), "-Wall", "-Werror", "-I", "native",
                "-o", exe.toString(), ProjectFiles.hostModule().resolve("src/test/c/check_bindings.c").toString()));
        assertEquals(0, build.status(), build.output());
        var run = ProjectFiles.run(root, List.of(exe.toString()));

        List<String> bad = new ArrayList<>();
        int checked = 0;
        for (String line : run.output().split("\n")) {
            if (line.startsWith("bad ")) bad.add(line);
            if (!line.startsWith("ok ")) continue;
            String[] w = line.split(" ", 4);
            String problem = javaMismatch(w[1], w[2], w[3]);
            if (problem != null) bad.add(problem);
            checked++;
        }
        assertEquals(List.of(), bad);
        assertEquals(0, run.status(), run.output());
        assertTrue(checked > 1500, "only " + checked + " items checked");
    }

    /** null when the Java bindings agree with what the C program confirmed. */
    static String javaMismatch(String what, String name, String value) throws Exception {
        long c = what.equals("prototype") ? 0 : Long.parseUnsignedLong(value);
        long java = switch (what) {
            case "constant" -> constant(name, c);
            case "size" -> record(name).byteSize();
            case "align" -> record(name).byteAlignment();
            case "offset" -> offset(name);
            case "fieldsize" -> field(name).byteSize();
            case "signed" -> declaredSigned(name); // the C type the Java binding declares for the field
            case "prototype" -> { descriptor(name); yield 0; }
            case "return_size" -> descriptor(name).returnLayout().orElseThrow().byteSize();
            case "param_size" -> param(name).byteSize();
            case "param_class" -> layoutClass(param(name), c);
            default -> throw new AssertionError("unknown check " + what);
        };
        return java == c ? null : "bad " + what + " " + name + ": java: " + java + " != c: " + c;
    }

    /**
     * Java's layouts have no unsigned carriers, so the field's signedness is read from the C type
     * the generated binding declares for it (the line {@code in_port_t sin_port} of its C snippet): 1 for a
     * signed type, 0 for an unsigned one, -1 for a type this table does not know (a new type must be
     * added here, not pass unchecked).
     */
    static long declaredSigned(String name) throws Exception {
        String record = name.substring(0, name.indexOf('.')), field = name.substring(name.lastIndexOf('.') + 1);
        java.util.regex.Pattern declared = java.util.regex.Pattern.compile(   // jextract's snippet, on its own line: "* in_port_t sin_port"
                "\\{@snippet lang=c :\\s*\\n\\s*\\* (.+) " + field + "(\\[\\d+\\])?\\s*\\n");
        for (String file : List.of(record, record.replaceAll("_t$", ""))) {
            Path sources = Path.of(System.getProperty("psock.bindings.src", ProjectFiles.root().resolve("bindings/src/main/java").toString()));
            Path source = sources.resolve("io/github/panamasockets/bindings/" + file + ".java");
            if (!java.nio.file.Files.exists(source)) continue;
            java.util.regex.Matcher m = declared.matcher(java.nio.file.Files.readString(source));
            if (m.find()) return signedness(m.group(1));
        }
        return -1;
    }

    static long signedness(String cType) {
        String t = cType.replaceFirst("^const ", "").replaceFirst("^__", "");
        if (t.contains("unsigned") || t.startsWith("uint") || t.startsWith("u_")) return 0;
        if (List.of("size_t", "socklen_t", "sa_family_t", "in_port_t", "in_addr_t", "uid_t", "gid_t", "dev_t", "ino_t", "mode_t", "nlink_t", "rlim_t").contains(t)) return 0;
        // jextract spells C's signed types short, long, long long; gcc's debug info short int, long int
        if (t.startsWith("int") || List.of("short", "long", "long long", "short int", "long int", "long long int", "signed char", "pid_t", "time_t", "suseconds_t", "off_t", "blksize_t", "blkcnt_t",
                "syscall_slong_t", "ssize_t", "clock_t").contains(t)) return 1;
        return -1;
    }

    private static long constant(String name, long c) throws Exception {
        Object v = sockets_h.class.getMethod(name).invoke(null);
        long viaMethod = ((Number) v).longValue();
        long viaField = ((Number) SocketsConstants.class.getField(name).get(null)).longValue();
        if (viaMethod != viaField) throw new AssertionError(name + ": sockets_h " + viaMethod + " != SocketsConstants " + viaField);
        // C printed the value's 64 bits; an int constant (signed or unsigned in C) keeps the low 32.
        return v instanceof Integer i ? ((int) c == i ? c : i) : viaMethod;
    }

    private static MemoryLayout record(String name) throws Exception {
        return (MemoryLayout) Class.forName(sockets_h.class.getPackageName() + "." + name).getMethod("layout").invoke(null);
    }

    /** "in6_addr.__in6_u.__u6_addr8": the layout path below the record, as C's offsetof names it. */
    private static MemoryLayout.PathElement[] path(String name) {
        String[] parts = name.split("\\.");
        MemoryLayout.PathElement[] path = new MemoryLayout.PathElement[parts.length - 1];
        for (int i = 1; i < parts.length; i++) path[i - 1] = MemoryLayout.PathElement.groupElement(parts[i]);
        return path;
    }

    private static long offset(String name) throws Exception {
        String[] parts = name.split("\\.");
        long byLayout = record(parts[0]).byteOffset(path(name));
        // The accessor class's own $offset() must agree with the layout.
        Class<?> owner = Class.forName(sockets_h.class.getPackageName() + "." + parts[0]);
        long byAccessors = 0;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("$anon$")) continue; // an anonymous member's fields are the enclosing class's, at their full offset
            byAccessors += (long) owner.getMethod(parts[i] + "$offset").invoke(null);
            if (i < parts.length - 1) owner = nested(owner, parts[i]);
        }
        if (byAccessors != byLayout) throw new AssertionError(name + ": $offset() " + byAccessors + " != layout " + byLayout);
        return byLayout;
    }

    private static Class<?> nested(Class<?> owner, String name) {
        for (Class<?> c : owner.getClasses()) if (c.getSimpleName().equals(name)) return c;
        return owner; // a named record type: its members are reached through the layout only
    }

    private static MemoryLayout field(String name) throws Exception {
        return record(name.substring(0, name.indexOf('.'))).select(path(name));
    }

    private static FunctionDescriptor descriptor(String function) throws Exception {
        try {
            return (FunctionDescriptor) sockets_h.class.getMethod(function + "$descriptor").invoke(null);
        } catch (NoSuchMethodException variadic) {
            Class<?> invoker = nested(sockets_h.class, function);
            Object base = invoker.getMethod("makeInvoker", MemoryLayout[].class).invoke(null, (Object) new MemoryLayout[0]);
            return (FunctionDescriptor) invoker.getMethod("descriptor").invoke(base);
        }
    }

    private static MemoryLayout param(String name) throws Exception {
        int dot = name.lastIndexOf('.');
        return descriptor(name.substring(0, dot)).argumentLayouts().get(Integer.parseInt(name.substring(dot + 1)));
    }

    /** gcc's type class (1 integer, 5 pointer, 8 real, 12 struct, 13 union) for a Java argument layout. */
    private static long layoutClass(MemoryLayout layout, long c) {
        if (layout instanceof AddressLayout) return c == 13 ? 13 : 5; // glibc's transparent sockaddr union is passed as a pointer
        if (layout instanceof ValueLayout.OfFloat || layout instanceof ValueLayout.OfDouble) return 8;
        if (layout instanceof ValueLayout) return 1;
        if (layout instanceof GroupLayout g) return g instanceof java.lang.foreign.UnionLayout ? 13 : 12;
        return -1;
    }

}
