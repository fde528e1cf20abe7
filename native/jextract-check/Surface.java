import java.io.File;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Prints the public surface of compiled bindings, one sorted line per class and member:
 *   java --enable-native-access=ALL-UNNAMED native/jextract-check/Surface.java CLASSES_DIR PACKAGE
 * Each public member is listed under the public class it is reached through: members of a
 * non-public superclass (jextract's sockets_h_1, ... chunks of a big header) under the public
 * subclass, members of a public superclass (sockets_h$shared) under that class. Each line holds
 * the modifiers and full signature, and for what can be read without calling C (a constant, a
 * layout, an offset, a descriptor, the dimensions of an array field) its value, so that two
 * trees that print the same lines agree on every name, type, constant, size, offset and layout.
 */
public final class Surface {
    public static void main(String[] args) throws Exception {
        Path classes = Path.of(args[0]);
        String pkg = args[1];
        Path pkgDir = classes.resolve(pkg.replace('.', File.separatorChar));
        TreeSet<String> lines = new TreeSet<>();
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, Surface.class.getClassLoader());
             Stream<Path> files = Files.list(pkgDir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class") || file.equals("module-info.class")) continue;
                Class<?> c = Class.forName(pkg + "." + file.substring(0, file.length() - 6), false, loader);
                if (c.getEnclosingClass() == null && Modifier.isPublic(c.getModifiers())) describe(c, lines);
            }
        }
        lines.forEach(System.out::println);
    }

    /** The class line and one line per public member, then the same for each public nested class. */
    private static void describe(Class<?> c, TreeSet<String> out) throws Exception {
        String name = c.getName().substring(c.getPackageName().length() + 1);
        Class<?> sup = c.getSuperclass();
        while (sup != null && !Modifier.isPublic(sup.getModifiers())) sup = sup.getSuperclass();
        out.add(name + " " + modifiers(c.getModifiers() & ~Modifier.STATIC) + (c.isInterface() ? "interface" : "class")
                + (sup == null || sup == Object.class ? "" : " extends " + sup.getSimpleName()));
        Set<String> functions = new TreeSet<>();
        for (Method m : c.getMethods()) if (m.getName().endsWith("$descriptor")) functions.add(m.getName().replace("$descriptor", ""));
        for (Class<?> n : c.getDeclaredClasses()) functions.add(n.getSimpleName()); // a variadic function's invoker class
        for (Method m : c.getMethods()) {
            if (!reachedThrough(m.getDeclaringClass(), c)) continue;
            String sig = modifiers(m.getModifiers()) + m.getGenericReturnType().getTypeName() + " " + m.getName() + "("
                    + Arrays.stream(m.getGenericParameterTypes()).map(t -> t.getTypeName()).collect(Collectors.joining(", ")) + ")";
            out.add(name + " | " + sig + value(m, functions));
        }
        for (Field f : c.getFields()) {
            if (!reachedThrough(f.getDeclaringClass(), c)) continue;
            String sig = modifiers(f.getModifiers()) + f.getGenericType().getTypeName() + " " + f.getName();
            out.add(name + " | " + sig + (Modifier.isStatic(f.getModifiers()) ? " = " + show(f.get(null)) : ""));
        }
        for (var k : c.getConstructors()) out.add(name + " | " + modifiers(k.getModifiers()) + name + "(" + Arrays.toString(k.getParameterTypes()) + ")");
        for (Class<?> n : c.getDeclaredClasses()) if (Modifier.isPublic(n.getModifiers())) describe(n, out);
    }

    /** True when a member declared in {@code declaring} belongs to {@code c}'s listing. */
    private static boolean reachedThrough(Class<?> declaring, Class<?> c) {
        if (declaring == Object.class) return false;
        if (declaring == c) return true;
        // Declared in a superclass: listed here only when that class is not public itself.
        return !Modifier.isPublic(declaring.getModifiers()) && declaring.isAssignableFrom(c);
    }

    /** " = value" for a static no-argument method that is not a C function, an address or a handle. */
    private static String value(Method m, Set<String> functions) throws Exception {
        String n = m.getName();
        if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || functions.contains(n)
                || n.endsWith("$address") || n.endsWith("$handle") || n.equals("address")) return "";
        return " = " + show(m.invoke(null));
    }

    private static String show(Object v) {
        if (v instanceof long[] a) return Arrays.toString(a);
        if (v instanceof MemoryLayout || v instanceof FunctionDescriptor || v instanceof Number || v instanceof String
                || v instanceof Boolean || v instanceof Character) return String.valueOf(v);
        return v == null ? "null" : "(" + v.getClass().getSimpleName() + ")";
    }

    private static String modifiers(int mods) {
        String s = Modifier.toString(mods & (Modifier.PUBLIC | Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT));
        return s.isEmpty() ? "" : s + " ";
    }
}
