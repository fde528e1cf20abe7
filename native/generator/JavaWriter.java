import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes the bindings' Java source in jextract's shape: a header class and a class per struct/union. */
final class JavaWriter {
    private final String pkg;
    private final String headerClass;
    private final String banner;
    /** Records that have a class of their own, by C spelling ("struct in_addr", "fd_set"). */
    private final Map<CType, String> recordClasses;

    JavaWriter(String pkg, String headerClass, String banner, Map<CType, String> recordClasses) {
        this.pkg = pkg;
        this.headerClass = headerClass;
        this.banner = banner;
        this.recordClasses = recordClasses;
    }

    // ---- types ------------------------------------------------------------------------------

    /** The Java type a value of this C type is carried in. */
    static String carrier(CType t) {
        CType c = t.canonical();
        return switch (c.kind) {
            case BASE, ENUM -> c.floating ? (c.byteSize() == 4 ? "float" : "double")
                    : switch ((int) c.byteSize()) { case 1 -> "byte"; case 2 -> "short"; case 4 -> "int"; default -> "long"; };
            case VOID -> "void";
            default -> "MemorySegment";
        };
    }

    private static String valueLayoutClass(String carrier) {
        return switch (carrier) {
            case "byte" -> "OfByte"; case "short" -> "OfShort"; case "int" -> "OfInt"; case "long" -> "OfLong";
            case "float" -> "OfFloat"; case "double" -> "OfDouble"; default -> "AddressLayout";
        };
    }

    /** jextract's layout constant for a scalar C type. */
    private String scalarLayout(CType t) {
        CType c = t.canonical();
        if (c.kind == CType.Kind.POINTER || c.isPointerUnion()) return headerClass + ".C_POINTER";
        if (c.floating) return headerClass + (c.byteSize() == 4 ? ".C_FLOAT" : ".C_DOUBLE");
        return headerClass + switch ((int) c.byteSize()) {
            case 1 -> ".C_CHAR"; case 2 -> ".C_SHORT"; case 4 -> ".C_INT";
            default -> c.name != null && c.name.contains("long long") ? ".C_LONG_LONG" : ".C_LONG";
        };
    }

    /** The layout of a value of type t placed where at most {@code maxAlign} alignment holds. */
    String layout(CType t, long maxAlign) {
        CType c = t.canonical();
        if (c.isRecord() && !c.isPointerUnion()) {
            String cls = classOf(t);
            if (cls != null && c.naturalAlignment() <= maxAlign) return cls + ".layout()";
            return group(c, Math.min(maxAlign, c.naturalAlignment()), false);
        }
        if (c.kind == CType.Kind.ARRAY) {
            return "MemoryLayout.sequenceLayout(" + c.count + ", " + layout(c.target, maxAlign) + ")";
        }
        String base = scalarLayout(c);
        return c.naturalAlignment() > maxAlign ? base + ".withByteAlignment(" + maxAlign + ")" : base;
    }

    /** A struct or union layout written out member by member, with padding where C has it. */
    String group(CType c, long align, boolean named) {
        List<String> parts = new ArrayList<>();
        long pos = 0;
        for (CType.Member m : c.members) {
            if (m.isBitField()) continue; // bit fields are skipped, as jextract does
            if (m.name() == null && !m.type().canonical().isRecord()) continue;
            if (c.kind == CType.Kind.STRUCT && m.offset() > pos) parts.add("MemoryLayout.paddingLayout(" + (m.offset() - pos) + ")");
            long allowed = m.offset() == 0 ? align : Math.min(align, Long.lowestOneBit(m.offset()));
            CType mc = m.type().canonical();
            // An anonymous member is written inline under jextract's "$anon$LINE:COLUMN" name.
            parts.add(m.name() == null ? group(mc, Math.min(allowed, mc.naturalAlignment()), true).replace("\n", "\n    ")
                    : layout(m.type(), allowed) + ".withName(\"" + m.name() + "\")");
            if (c.kind == CType.Kind.STRUCT) pos = m.offset() + m.type().byteSize();
        }
        if (c.kind == CType.Kind.STRUCT && c.size > pos) parts.add("MemoryLayout.paddingLayout(" + (c.size - pos) + ")");
        String kind = c.kind == CType.Kind.STRUCT ? "structLayout" : "unionLayout";
        String name = named ? ".withName(\"" + c.layoutName() + "\")" : "";
        return "MemoryLayout." + kind + "(\n        " + String.join(",\n        ", parts) + "\n    )" + name;
    }

    private String classOf(CType t) {
        for (CType x = t; x != null; x = x.target) {
            if (recordClasses.containsKey(x)) return recordClasses.get(x);
            if (x.kind != CType.Kind.TYPEDEF && x.kind != CType.Kind.CONST && x.kind != CType.Kind.VOLATILE) break;
        }
        return null;
    }

    // ---- record classes ---------------------------------------------------------------------

    /** The class of one struct or union (or typedef of one), with jextract's accessors. */
    String recordClass(String className, CType type, String cSpelling, long alignment) {
        StringBuilder s = new StringBuilder(header());
        s.append("import java.lang.foreign.*;\nimport java.lang.invoke.*;\nimport java.util.function.Consumer;\n\n")
         .append("import static java.lang.foreign.MemoryLayout.PathElement.*;\nimport static java.lang.foreign.ValueLayout.*;\n\n");
        s.append(recordBody(className, type.canonical(), cSpelling, alignment, "public class", ""));
        return s.toString();
    }

    private String recordBody(String className, CType c, String cSpelling, long alignment, String declaration, String indent) {
        StringBuilder s = new StringBuilder();
        s.append(indent).append("/**\n").append(snippet(indent, cSpelling))
         .append(indent).append(" */\n").append(indent).append(declaration).append(' ').append(className).append(" {\n\n");
        String in = indent + "    ";
        s.append(in).append(className).append("() {\n").append(in).append("    // Should not be called directly\n").append(in).append("}\n\n");
        String group = group(c, alignment, true).replace("\n", "\n" + in);
        if (c.naturalAlignment() < alignment) group += ".withByteAlignment(" + alignment + ")";
        s.append(in).append("private static final GroupLayout $LAYOUT = ").append(group).append(";\n\n");
        s.append(in).append("/** The layout of this ").append(c.kind == CType.Kind.UNION ? "union" : "struct").append(" */\n");
        s.append(in).append("public static final GroupLayout layout() {\n").append(in).append("    return $LAYOUT;\n").append(in).append("}\n\n");
        members(s, className, c, "", 0, in);
        s.append(in).append("/** Obtains a slice of {@code arrayParam} which selects the array element at {@code index}. */\n")
         .append(in).append("public static MemorySegment asSlice(MemorySegment array, long index) {\n")
         .append(in).append("    return array.asSlice(layout().byteSize() * index);\n").append(in).append("}\n\n")
         .append(in).append("/** The size (in bytes) of this ").append(c.kind == CType.Kind.UNION ? "union" : "struct").append(" */\n")
         .append(in).append("public static long sizeof() { return layout().byteSize(); }\n\n")
         .append(in).append("/** Allocate a segment of size {@code layout().byteSize()} using {@code allocator} */\n")
         .append(in).append("public static MemorySegment allocate(SegmentAllocator allocator) {\n")
         .append(in).append("    return allocator.allocate(layout());\n").append(in).append("}\n\n")
         .append(in).append("/** Allocate an array of size {@code elementCount} using {@code allocator}. */\n")
         .append(in).append("public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {\n")
         .append(in).append("    return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));\n").append(in).append("}\n\n")
         .append(in).append("/** Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any). */\n")
         .append(in).append("public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {\n")
         .append(in).append("    return reinterpret(addr, 1, arena, cleanup);\n").append(in).append("}\n\n")
         .append(in).append("/** Reinterprets {@code addr} as an array of {@code elementCount} elements. */\n")
         .append(in).append("public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {\n")
         .append(in).append("    return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);\n").append(in).append("}\n");
        s.append(indent).append("}\n");
        return s.toString();
    }

    /** The accessors of a member and, for an anonymous struct/union member, of the members merged in from it. */
    private void members(StringBuilder s, String className, CType c, String path, long base, String in) {
        for (CType.Member m : c.members) {
            if (m.isBitField()) continue;
            CType mc = m.type().canonical();
            if (m.name() == null) {
                // C11's anonymous member: jextract merges its fields into this class, reached through "$anon$L:C".
                if (mc.isRecord()) members(s, className, mc, path + "groupElement(\"" + mc.layoutName() + "\"), ", base + m.offset(), in);
                continue;
            }
            s.append(field(className, m, path, base + m.offset(), in));
        }
    }

    private String field(String className, CType.Member m, String path, long offset, String in) {
        String n = m.name();
        CType c = m.type().canonical();
        String decl = m.type().spell(n);
        String select = "$LAYOUT.select(" + path + "groupElement(\"" + n + "\"))";
        StringBuilder s = new StringBuilder();
        String doc = in + "/**\n" + snippet(in, decl) + in + " */\n";
        boolean anonymousRecord = c.isRecord() && !c.isPointerUnion() && classOf(m.type()) == null;
        if (anonymousRecord) {
            // An anonymous struct/union type of a named member gets a nested class, as jextract makes one.
            String nested = recordBody(n, c, (c.kind == CType.Kind.UNION ? "union" : "struct") + " { ... } " + n,
                    c.naturalAlignment(), "public static class", in);
            s.append(nested).append('\n');
        }
        CType fn = functionPointer(m.type());
        if (fn != null) s.append(functionalInterface(n, fn, decl, "public final static class", in)).append('\n');
        if ((c.isRecord() && !c.isPointerUnion()) || c.kind == CType.Kind.ARRAY) {
            String lc = c.kind == CType.Kind.ARRAY ? "SequenceLayout" : "GroupLayout";
            s.append(in).append("private static final ").append(lc).append(' ').append(n).append("$LAYOUT = (").append(lc).append(")").append(select).append(";\n\n");
            s.append(doc).append(in).append("public static final ").append(lc).append(' ').append(n).append("$layout() {\n").append(in).append("    return ").append(n).append("$LAYOUT;\n").append(in).append("}\n\n");
            offset(s, n, offset, doc, in);
            s.append(doc).append(in).append("public static MemorySegment ").append(n).append("(MemorySegment struct) {\n")
             .append(in).append("    return struct.asSlice(").append(n).append("$OFFSET, ").append(n).append("$LAYOUT.byteSize());\n").append(in).append("}\n\n");
            s.append(doc).append(in).append("public static void ").append(n).append("(MemorySegment struct, MemorySegment fieldValue) {\n")
             .append(in).append("    MemorySegment.copy(fieldValue, 0L, struct, ").append(n).append("$OFFSET, ").append(n).append("$LAYOUT.byteSize());\n").append(in).append("}\n\n");
            if (c.kind == CType.Kind.ARRAY) arrayAccessors(s, n, c, doc, in);
        } else {
            String carrier = carrier(c.isPointerUnion() ? pointer() : m.type());
            String lc = valueLayoutClass(carrier);
            s.append(in).append("private static final ").append(lc).append(' ').append(n).append("$LAYOUT = (").append(lc).append(")").append(select).append(";\n\n");
            s.append(doc).append(in).append("public static final ").append(lc).append(' ').append(n).append("$layout() {\n").append(in).append("    return ").append(n).append("$LAYOUT;\n").append(in).append("}\n\n");
            offset(s, n, offset, doc, in);
            s.append(doc).append(in).append("public static ").append(carrier).append(' ').append(n).append("(MemorySegment struct) {\n")
             .append(in).append("    return struct.get(").append(n).append("$LAYOUT, ").append(n).append("$OFFSET);\n").append(in).append("}\n\n");
            s.append(doc).append(in).append("public static void ").append(n).append("(MemorySegment struct, ").append(carrier).append(" fieldValue) {\n")
             .append(in).append("    struct.set(").append(n).append("$LAYOUT, ").append(n).append("$OFFSET, fieldValue);\n").append(in).append("}\n\n");
        }
        return s.toString();
    }

    /**
     * An array field's $dimensions() and indexed accessors, one index per dimension, as jextract
     * writes them; none for a flexible array member (no length to index against).
     */
    private void arrayAccessors(StringBuilder s, String n, CType array, String doc, String in) {
        List<Long> dims = new ArrayList<>();
        CType elem = array;
        for (; elem.kind == CType.Kind.ARRAY; elem = elem.target.canonical()) {
            if (elem.isFlexibleArray()) return;
            dims.add(elem.count);
        }
        List<String> indexDecl = new ArrayList<>(), indexUse = new ArrayList<>(), path = new ArrayList<>();
        for (int i = 0; i < dims.size(); i++) { indexDecl.add("long index" + i); indexUse.add("index" + i); path.add("sequenceElement()"); }
        String decl = String.join(", ", indexDecl), use = String.join(", ", indexUse);
        s.append(in).append("private static long[] ").append(n).append("$DIMS = { ")
         .append(String.join(", ", dims.stream().map(String::valueOf).toList())).append(" };\n\n");
        s.append(doc).append(in).append("public static long[] ").append(n).append("$dimensions() {\n").append(in).append("    return ").append(n).append("$DIMS;\n").append(in).append("}\n\n");
        if (elem.isRecord() && !elem.isPointerUnion()) {
            elemHandle(s, in, n, "MethodHandle", "sliceHandle", path);
            s.append(doc).append(in).append("public static MemorySegment ").append(n).append("(MemorySegment struct, ").append(decl).append(") {\n")
             .append(in).append("    try {\n").append(in).append("        return (MemorySegment)").append(n).append("$ELEM_HANDLE.HANDLE.invokeExact(struct, ").append(n).append("$OFFSET, ").append(use).append(");\n")
             .append(in).append("    } catch (Error | RuntimeException ex) {\n").append(in).append("        throw ex;\n")
             .append(in).append("    } catch (Throwable ex$) {\n").append(in).append("        throw new AssertionError(\"should not reach here\", ex$);\n").append(in).append("    }\n")
             .append(in).append("}\n\n");
            s.append(doc).append(in).append("public static void ").append(n).append("(MemorySegment struct, ").append(decl).append(", MemorySegment fieldValue) {\n")
             .append(in).append("    MemorySegment.copy(fieldValue, 0L, ").append(n).append("(struct, ").append(use).append("), 0L, ").append(n).append("$LAYOUT.select(").append(String.join(", ", path)).append(").byteSize());\n")
             .append(in).append("}\n\n");
        } else {
            String carrier = carrier(elem.isPointerUnion() ? pointer() : elem);
            elemHandle(s, in, n, "VarHandle", "varHandle", path);
            s.append(doc).append(in).append("public static ").append(carrier).append(' ').append(n).append("(MemorySegment struct, ").append(decl).append(") {\n")
             .append(in).append("    return (").append(carrier).append(")").append(n).append("$ELEM_HANDLE.HANDLE.get(struct, ").append(n).append("$OFFSET, ").append(use).append(");\n").append(in).append("}\n\n");
            s.append(doc).append(in).append("public static void ").append(n).append("(MemorySegment struct, ").append(decl).append(", ").append(carrier).append(" fieldValue) {\n")
             .append(in).append("    ").append(n).append("$ELEM_HANDLE.HANDLE.set(struct, ").append(n).append("$OFFSET, ").append(use).append(", fieldValue);\n").append(in).append("}\n\n");
        }
    }

    /**
     * An array field's element handle, in a holder class of its own: made at the first indexed
     * access, not when the struct class is initialised (a var handle costs a cold JVM several
     * milliseconds; code that only allocates the struct, or uses its layout, never needs it).
     */
    private static void elemHandle(StringBuilder s, String in, String n, String type, String factory, List<String> path) {
        s.append(in).append("private static final class ").append(n).append("$ELEM_HANDLE {\n")
         .append(in).append("    static final ").append(type).append(" HANDLE = ").append(n).append("$LAYOUT.").append(factory)
         .append("(").append(String.join(", ", path)).append(");\n").append(in).append("}\n\n");
    }

    private static CType pointer() { return new CType(CType.Kind.POINTER); }

    private static void offset(StringBuilder s, String n, long offset, String doc, String in) {
        s.append(in).append("private static final long ").append(n).append("$OFFSET = ").append(offset).append(";\n\n");
        s.append(doc).append(in).append("public static final long ").append(n).append("$offset() {\n").append(in).append("    return ").append(n).append("$OFFSET;\n").append(in).append("}\n\n");
    }

    // ---- function pointers ------------------------------------------------------------------

    /**
     * The function a type points to when it is spelled as a pointer to a function, as jextract
     * asks (a function pointer reached through a typedef gets that typedef's class, if bound).
     */
    static CType functionPointer(CType t) {
        for (CType x = t; x != null && x.kind == CType.Kind.POINTER; x = x.target) {
            if (x.target != null && x.target.kind == CType.Kind.FUNCTION) return x.target;
        }
        return null;
    }

    /** A top-level class for a function pointer: a bound typedef, or a function's parameter or return. */
    String functionalInterfaceFile(String className, CType fn, String cSpelling) {
        return header() + "import java.lang.foreign.*;\nimport java.lang.invoke.*;\n\n"
                + functionalInterface(className, fn, cSpelling, "public final class", "");
    }

    /**
     * jextract's class for a function pointer type: the interface {@code Function}, the
     * descriptor, {@code allocate} (an upcall stub running a Java Function) and {@code invoke}
     * (a call through a function pointer).
     */
    private String functionalInterface(String className, CType fn, String cSpelling, String declaration, String in) {
        CType ret = fn.target == null ? CType.VOID : fn.target;
        String retCarrier = argCarrier(ret);
        boolean byValueReturn = ret.canonical().isRecord() && !ret.canonical().isPointerUnion();
        String fi = className.equalsIgnoreCase("function") ? "Function$" : "Function";
        List<String> params = new ArrayList<>(), args = new ArrayList<>();
        for (int i = 0; i < fn.params.size(); i++) { params.add(argCarrier(fn.params.get(i)) + " _x" + i); args.add("_x" + i); }
        String p = String.join(", ", params), a = String.join(", ", args);
        String body = "/**\n" + snippet("", cSpelling) + " */\n"
                + declaration + " " + className + " {\n\n"
                + "    private " + className + "() {\n        // Should not be called directly\n    }\n\n"
                + "    /** The function pointer signature, expressed as a functional interface */\n"
                + "    public interface " + fi + " {\n        " + retCarrier + " apply(" + p + ");\n    }\n\n"
                + "    private static final FunctionDescriptor $DESC = " + descriptor(ret, fn.params).replace("\n        ", "\n    ") + ";\n\n"
                + "    /** The descriptor of this function pointer */\n"
                + "    public static FunctionDescriptor descriptor() {\n        return $DESC;\n    }\n\n"
                + "    private static final MethodHandle UP$MH = " + headerClass + ".upcallHandle(" + className + "." + fi + ".class, \"apply\", $DESC);\n\n"
                + "    /** Allocates a new upcall stub, whose implementation is defined by {@code fi}; {@code arena} owns it. */\n"
                + "    public static MemorySegment allocate(" + className + "." + fi + " fi, Arena arena) {\n"
                + "        return Linker.nativeLinker().upcallStub(UP$MH.bindTo(fi), $DESC, arena);\n    }\n\n"
                + "    private static final MethodHandle DOWN$MH = Linker.nativeLinker().downcallHandle($DESC);\n\n"
                + "    /** Invokes the function {@code funcPtr} points to, with the given parameters. */\n"
                + "    public static " + retCarrier + " invoke(MemorySegment funcPtr" + (byValueReturn ? ", SegmentAllocator alloc" : "") + (p.isEmpty() ? "" : ", " + p) + ") {\n"
                + "        try {\n"
                + "            " + (retCarrier.equals("void") ? "" : "return (" + retCarrier + ") ") + "DOWN$MH.invokeExact(funcPtr" + (byValueReturn ? ", alloc" : "") + (a.isEmpty() ? "" : ", " + a) + ");\n"
                + "        } catch (Error | RuntimeException ex) {\n            throw ex;\n"
                + "        } catch (Throwable ex$) {\n            throw new AssertionError(\"should not reach here\", ex$);\n        }\n    }\n}\n";
        return in.isEmpty() ? body : in + body.replace("\n", "\n" + in).replace("\n" + in + "\n", "\n\n").stripTrailing() + "\n";
    }

    /** A typedef of a record that has its own class: jextract makes it a subclass. */
    /** A javadoc snippet of C as jextract writes it: the body on a line of its own (javadoc rejects it after the colon). */
    static String snippet(String indent, String c) {
        return indent + " * {@snippet lang=c :\n" + indent + " * " + c + "\n" + indent + " * }\n";
    }

    String typedefClass(String name, String superClass, String cSpelling) {
        return header() + "/**\n" + snippet("", cSpelling) + " */\npublic class " + name + " extends " + superClass
                + " {\n\n    " + name + "() {\n        // Should not be called directly\n    }\n}\n";
    }

    // ---- the header class -------------------------------------------------------------------

    record Function(String name, CType type, List<String> paramNames) {}

    String headerClassSource(String platformId, String platformLabel, String regenerate,
                             Map<String, CType> scalarTypedefs, List<Function> functions, Map<String, CType> vars,
                             Map<String, Cc.Constant> constants) {
        StringBuilder s = new StringBuilder(header());
        s.append("import java.lang.foreign.*;\nimport java.lang.invoke.*;\n\nimport static java.lang.foreign.ValueLayout.*;\n\n");
        s.append("/** The bindings of {@code native/sockets.h}, generated for ").append(platformLabel).append(". */\n");
        s.append("public class ").append(headerClass).append(" extends ").append(sharedClass()).append(" {\n\n    ").append(headerClass).append("() {\n        // Should not be called directly\n    }\n\n");
        s.append("""
                    /** The platform these bindings were generated for. */
                    public static final String PLATFORM = "%s";

                    static {
                        String running = runningPlatform();
                        if (!running.equals(PLATFORM)) {
                            throw new UnsupportedOperationException("Panama Sockets bindings were generated for " + PLATFORM
                                    + " (%s) but this JVM runs on " + running + "; regenerate them there with: %s");
                        }
                    }

                    /** "linux-x86_64": os.name and os.arch in the generator's spelling (panamasockets.platform overrides, for tests). */
                    static String runningPlatform() {
                        String forced = System.getProperty("panamasockets.platform");
                        if (forced != null) return forced;
                        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
                        os = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos" : os.replace(' ', '_');
                        String arch = switch (System.getProperty("os.arch", "")) {
                            case "amd64", "x86_64" -> "x86_64";
                            case "aarch64", "arm64" -> "aarch64";
                            default -> System.getProperty("os.arch", "");
                        };
                        return os + "-" + arch;
                    }

                    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.loaderLookup()
                            .or(Linker.nativeLinker().defaultLookup());

                    static MemorySegment findOrThrow(String symbol) {
                        return SYMBOL_LOOKUP.find(symbol)
                            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
                    }

                """.formatted(platformId, platformLabel, regenerate));
        for (var e : scalarTypedefs.entrySet()) {
            String carrier = carrier(e.getValue());
            s.append("    /**\n").append(snippet("    ", e.getValue().spell(e.getKey()))).append("     */\n")
             .append("    public static final ").append(valueLayoutClass(carrier).equals("AddressLayout") ? "AddressLayout" : "ValueLayout." + valueLayoutClass(carrier))
             .append(' ').append(e.getKey()).append(" = ").append(scalarLayout(e.getValue())).append(";\n");
        }
        s.append('\n');
        for (Function f : functions) s.append(f.type().variadic ? variadicFunction(f) : function(f));
        for (var v : vars.entrySet()) s.append(variable(v.getKey(), v.getValue()));
        for (Cc.Constant c : constants.values()) {
            String t = c.isLong() ? "long" : "int";
            // jextract's spelling, (int)2L; a long takes no cast (javac would call it redundant)
            String v = c.isLong() ? c.bits() + "L" : "(int)" + c.bits() + "L";
            s.append("    private static final ").append(t).append(' ').append(c.name()).append(" = ").append(v).append(";\n\n")
             .append("    /**\n").append(snippet("    ", "#define " + c.name() + ' ' + (c.isLong() ? c.bits() : (int) c.bits()))).append("     */\n")
             .append("    public static ").append(t).append(' ').append(c.name()).append("() {\n        return ").append(c.name()).append(";\n    }\n");
        }
        s.append("}\n");
        return s.toString();
    }

    /** jextract's {@code sockets_h$shared}: the C types' layouts, which the header class inherits. */
    String sharedClass() { return headerClass + "$shared"; }

    String sharedClassSource() {
        return header() + """
                import java.lang.foreign.*;

                /** The layouts of C's types on this platform (the linker's canonical layouts), shared by the header class. */
                public class %1$s {

                    %1$s() {
                        // Should not be called directly
                    }

                    public static final ValueLayout.OfBoolean C_BOOL = (ValueLayout.OfBoolean) Linker.nativeLinker().canonicalLayouts().get("bool");
                    public static final ValueLayout.OfByte C_CHAR = (ValueLayout.OfByte) Linker.nativeLinker().canonicalLayouts().get("char");
                    public static final ValueLayout.OfShort C_SHORT = (ValueLayout.OfShort) Linker.nativeLinker().canonicalLayouts().get("short");
                    public static final ValueLayout.OfInt C_INT = (ValueLayout.OfInt) Linker.nativeLinker().canonicalLayouts().get("int");
                    public static final ValueLayout.OfLong C_LONG_LONG = (ValueLayout.OfLong) Linker.nativeLinker().canonicalLayouts().get("long long");
                    public static final ValueLayout.OfFloat C_FLOAT = (ValueLayout.OfFloat) Linker.nativeLinker().canonicalLayouts().get("float");
                    public static final ValueLayout.OfDouble C_DOUBLE = (ValueLayout.OfDouble) Linker.nativeLinker().canonicalLayouts().get("double");
                    public static final AddressLayout C_POINTER = ((AddressLayout) Linker.nativeLinker().canonicalLayouts().get("void*"))
                            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, C_CHAR));
                    public static final ValueLayout.OfLong C_LONG = (ValueLayout.OfLong) Linker.nativeLinker().canonicalLayouts().get("long");

                    /** The handle of a functional interface's method, for an upcall stub. */
                    static java.lang.invoke.MethodHandle upcallHandle(Class<?> fi, String name, FunctionDescriptor fdesc) {
                        try {
                            return java.lang.invoke.MethodHandles.lookup().findVirtual(fi, name, fdesc.toMethodType());
                        } catch (ReflectiveOperationException ex) {
                            throw new AssertionError(ex);
                        }
                    }
                }
                """.formatted(sharedClass());
    }

    private List<String> paramNames(Function f) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < f.type().params.size(); i++) {
            String n = i < f.paramNames().size() ? f.paramNames().get(i) : null;
            names.add(n == null ? "x" + i : n);
        }
        return names;
    }

    private String descriptor(CType ret, List<CType> params) {
        List<String> layouts = new ArrayList<>();
        for (CType p : params) layouts.add(argLayout(p));
        String args = String.join(",\n            ", layouts);
        if (ret.canonical().kind == CType.Kind.VOID) return args.isEmpty() ? "FunctionDescriptor.ofVoid()" : "FunctionDescriptor.ofVoid(\n            " + args + "\n        )";
        return "FunctionDescriptor.of(\n            " + argLayout(ret) + (args.isEmpty() ? "" : ",\n            " + args) + "\n        )";
    }

    private String argLayout(CType t) {
        CType c = t.canonical();
        if (c.kind == CType.Kind.ARRAY) return headerClass + ".C_POINTER"; // arrays decay to pointers in a prototype
        return layout(t, Long.MAX_VALUE);
    }

    private static String argCarrier(CType t) {
        CType c = t.canonical();
        return c.isPointerUnion() || c.kind == CType.Kind.ARRAY ? "MemorySegment" : carrier(t);
    }

    private String prototype(Function f, List<String> names) {
        List<String> ps = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) ps.add(f.type().params.get(i).spell(names.get(i)));
        if (f.type().variadic) ps.add("...");
        return (f.type().target == null ? CType.VOID : f.type().target).spell(f.name() + "(" + String.join(", ", ps) + ")");
    }

    private String function(Function f) {
        List<String> names = paramNames(f);
        CType ret = f.type().target == null ? CType.VOID : f.type().target;
        String retCarrier = argCarrier(ret);
        boolean byValueReturn = ret.canonical().isRecord() && !ret.canonical().isPointerUnion();
        List<String> params = new ArrayList<>();
        List<String> args = new ArrayList<>();
        if (byValueReturn) { params.add("SegmentAllocator allocator"); args.add("allocator"); }
        for (int i = 0; i < names.size(); i++) {
            params.add(argCarrier(f.type().params.get(i)) + " " + names.get(i));
            args.add(names.get(i));
        }
        String doc = "    /**\n" + snippet("    ", prototype(f, names)) + "     */\n";
        String n = f.name();
        return "    private static class " + n + " {\n"
                + "        public static final FunctionDescriptor DESC = " + descriptor(ret, f.type().params) + ";\n\n"
                + "        public static final MemorySegment ADDR = " + headerClass + ".findOrThrow(\"" + n + "\");\n\n"
                + "        /** Linked on first use only: in a cold JVM a link of a new shape costs several milliseconds. */\n"
                + "        private static final class Linked {\n"
                + "            static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);\n"
                + "        }\n    }\n\n"
                + "    /**\n     * Function descriptor for:\n" + snippet("    ", prototype(f, names)) + "     */\n"
                + "    public static FunctionDescriptor " + n + "$descriptor() {\n        return " + n + ".DESC;\n    }\n\n"
                + "    /**\n     * Downcall method handle for:\n" + snippet("    ", prototype(f, names)) + "     */\n"
                + "    public static MethodHandle " + n + "$handle() {\n        return " + n + ".Linked.HANDLE;\n    }\n\n"
                + "    /**\n     * Address for:\n" + snippet("    ", prototype(f, names)) + "     */\n"
                + "    public static MemorySegment " + n + "$address() {\n        return " + n + ".ADDR;\n    }\n\n"
                + doc
                + "    public static " + retCarrier + " " + n + "(" + String.join(", ", params) + ") {\n"
                + "        var mh$ = " + n + ".Linked.HANDLE;\n"
                + "        try {\n"
                + "            " + (retCarrier.equals("void") ? "" : "return (" + retCarrier + ")") + "mh$.invokeExact(" + String.join(", ", args) + ");\n"
                + "        } catch (Error | RuntimeException ex) {\n           throw ex;\n"
                + "        } catch (Throwable ex$) {\n           throw new AssertionError(\"should not reach here\", ex$);\n        }\n    }\n\n";
    }

    /**
     * A global variable as jextract binds it: {@code v$layout()}, and {@code v()}/{@code v(value)}
     * reading and writing it ({@code v$segment()} too for a scalar or pointer; for a struct or array
     * {@code v()} is its memory, and an array has {@code v$dimensions()} and indexed accessors).
     */
    private String variable(String n, CType type) {
        CType c = type.canonical();
        String holder = n + "$constants";
        String doc = "    /**\n" + snippet("    ", "extern " + type.spell(n)) + "     */\n";
        boolean memory = (c.isRecord() && !c.isPointerUnion()) || c.kind == CType.Kind.ARRAY;
        String lc = c.kind == CType.Kind.ARRAY ? "SequenceLayout" : memory ? "GroupLayout"
                : valueLayoutClass(carrier(c.isPointerUnion() ? pointer() : type)).equals("AddressLayout") ? "AddressLayout"
                : "ValueLayout." + valueLayoutClass(carrier(type));
        List<Long> dims = new ArrayList<>();
        CType elem = c;
        for (; elem.kind == CType.Kind.ARRAY; elem = elem.target.canonical()) {
            if (elem.isFlexibleArray()) { dims.clear(); break; }
            dims.add(elem.count);
        }
        StringBuilder s = new StringBuilder();
        s.append("    private static class ").append(holder).append(" {\n")
         .append("        public static final ").append(lc).append(" LAYOUT = ").append(layout(type, Long.MAX_VALUE)).append(";\n")
         .append("        public static final MemorySegment SEGMENT = ").append(headerClass).append(".findOrThrow(\"").append(n).append("\").reinterpret(LAYOUT.byteSize());\n");
        String indexDecl = "", indexUse = "", path = "";
        if (!dims.isEmpty()) {
            List<String> d = new ArrayList<>(), u = new ArrayList<>(), p = new ArrayList<>();
            for (int i = 0; i < dims.size(); i++) { d.add("long index" + i); u.add("index" + i); p.add("MemoryLayout.PathElement.sequenceElement()"); }
            indexDecl = String.join(", ", d); indexUse = String.join(", ", u); path = String.join(", ", p);
            boolean records = elem.isRecord() && !elem.isPointerUnion();
            s.append("        public static final ").append(records ? "MethodHandle" : "VarHandle").append(" HANDLE = LAYOUT.")
             .append(records ? "sliceHandle(" : "varHandle(").append(path).append(");\n")
             .append("        public static final long[] DIMS = { ").append(String.join(", ", dims.stream().map(String::valueOf).toList())).append(" };\n");
        }
        s.append("    }\n\n");
        s.append(doc).append("    public static ").append(lc).append(' ').append(n).append("$layout() {\n        return ").append(holder).append(".LAYOUT;\n    }\n\n");
        if (!memory) {
            String carrier = carrier(c.isPointerUnion() ? pointer() : type);
            s.append(doc).append("    public static MemorySegment ").append(n).append("$segment() {\n        return ").append(holder).append(".SEGMENT;\n    }\n\n");
            s.append(doc).append("    public static ").append(carrier).append(' ').append(n).append("() {\n        return ").append(holder).append(".SEGMENT.get(").append(holder).append(".LAYOUT, 0L);\n    }\n\n");
            s.append(doc).append("    public static void ").append(n).append("(").append(carrier).append(" varValue) {\n        ").append(holder).append(".SEGMENT.set(").append(holder).append(".LAYOUT, 0L, varValue);\n    }\n\n");
            return s.toString();
        }
        if (!dims.isEmpty()) {   // an array declared without a length (extern int v[];) has none
            s.append(doc).append("    public static long[] ").append(n).append("$dimensions() {\n        return ").append(holder).append(".DIMS;\n    }\n\n");
        }
        s.append(doc).append("    public static MemorySegment ").append(n).append("() {\n        return ").append(holder).append(".SEGMENT;\n    }\n\n");
        s.append(doc).append("    public static void ").append(n).append("(MemorySegment varValue) {\n        MemorySegment.copy(varValue, 0L, ")
         .append(holder).append(".SEGMENT, 0L, ").append(holder).append(".LAYOUT.byteSize());\n    }\n\n");
        if (!dims.isEmpty()) {
            if (elem.isRecord() && !elem.isPointerUnion()) {
                s.append(doc).append("    public static MemorySegment ").append(n).append("(").append(indexDecl).append(") {\n        try {\n")
                 .append("            return (MemorySegment)").append(holder).append(".HANDLE.invokeExact(").append(holder).append(".SEGMENT, 0L, ").append(indexUse).append(");\n")
                 .append("        } catch (Error | RuntimeException ex) {\n            throw ex;\n        } catch (Throwable ex$) {\n            throw new AssertionError(\"should not reach here\", ex$);\n        }\n    }\n\n");
                s.append(doc).append("    public static void ").append(n).append("(").append(indexDecl).append(", MemorySegment varValue) {\n")
                 .append("        MemorySegment.copy(varValue, 0L, ").append(n).append("(").append(indexUse).append("), 0L, ").append(holder).append(".LAYOUT.select(").append(path).append(").byteSize());\n    }\n\n");
            } else {
                String carrier = carrier(elem);
                s.append(doc).append("    public static ").append(carrier).append(' ').append(n).append("(").append(indexDecl).append(") {\n")
                 .append("        return (").append(carrier).append(")").append(holder).append(".HANDLE.get(").append(holder).append(".SEGMENT, 0L, ").append(indexUse).append(");\n    }\n\n");
                s.append(doc).append("    public static void ").append(n).append("(").append(indexDecl).append(", ").append(carrier).append(" varValue) {\n")
                 .append("        ").append(holder).append(".HANDLE.set(").append(holder).append(".SEGMENT, 0L, ").append(indexUse).append(", varValue);\n    }\n\n");
            }
        }
        return s.toString();
    }

    private String variadicFunction(Function f) {
        List<String> names = paramNames(f);
        CType ret = f.type().target == null ? CType.VOID : f.type().target;
        String retCarrier = argCarrier(ret);
        String n = f.name();
        List<String> params = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) params.add(argCarrier(f.type().params.get(i)) + " " + names.get(i));
        String varargs = "x" + names.size();
        return "    /**\n     * Variadic invoker class for:\n" + snippet("    ", prototype(f, names)) + "     */\n"
                + "    public static class " + n + " {\n"
                + "        private static final FunctionDescriptor BASE_DESC = " + descriptor(ret, f.type().params).replace("\n", "\n    ") + ";\n"
                + "        private static final MemorySegment ADDR = " + headerClass + ".findOrThrow(\"" + n + "\");\n\n"
                + "        private final MethodHandle handle;\n        private final FunctionDescriptor descriptor;\n        private final MethodHandle spreader;\n\n"
                + "        private " + n + "(MethodHandle handle, FunctionDescriptor descriptor, MethodHandle spreader) {\n"
                + "            this.handle = handle;\n            this.descriptor = descriptor;\n            this.spreader = spreader;\n        }\n\n"
                + "        /** Variadic invoker factory for the given variadic argument layouts. */\n"
                + "        public static " + n + " makeInvoker(MemoryLayout... layouts) {\n"
                + "            FunctionDescriptor desc$ = BASE_DESC.appendArgumentLayouts(layouts);\n"
                + "            Linker.Option fva$ = Linker.Option.firstVariadicArg(BASE_DESC.argumentLayouts().size());\n"
                + "            var mh$ = Linker.nativeLinker().downcallHandle(ADDR, desc$, fva$);\n"
                + "            var spreader$ = mh$.asSpreader(Object[].class, layouts.length);\n"
                + "            return new " + n + "(mh$, desc$, spreader$);\n        }\n\n"
                + "        /** The address of the function. */\n"
                + "        public static MemorySegment address() {\n            return ADDR;\n        }\n\n"
                + "        /** The specialized method handle. */\n"
                + "        public MethodHandle handle() {\n            return handle;\n        }\n\n"
                + "        /** The specialized descriptor. */\n"
                + "        public FunctionDescriptor descriptor() {\n            return descriptor;\n        }\n\n"
                + "        /** Invokes the function with the fixed arguments and the variadic ones. */\n"
                + "        public " + retCarrier + " apply(" + String.join(", ", params) + ", Object... " + varargs + ") {\n"
                + "            try {\n"
                + "                return (" + retCarrier + ") spreader.invokeExact(" + String.join(", ", names) + ", " + varargs + ");\n"
                + "            } catch (IllegalArgumentException | ClassCastException ex$)  {\n"
                + "                throw ex$; // rethrow IAE from passing wrong number/type of args\n"
                + "            } catch (Error | RuntimeException ex) {\n               throw ex;\n"
                + "            } catch (Throwable ex$) {\n               throw new AssertionError(\"should not reach here\", ex$);\n            }\n        }\n    }\n\n";
    }

    // ---- compile-time constants and the errno table -----------------------------------------

    String constantsInterface(String name, Map<String, Cc.Constant> constants, java.util.Set<String> platformDependent) {
        StringBuilder s = new StringBuilder(header());
        s.append("/**\n * The constants of {@code native/sockets.h} as compile-time constants, so that {@code case EINTR:}\n")
         .append(" * compiles. The same values as {@link ").append(headerClass).append("}'s methods.\n")
         .append(" * A constant whose value differs between the committed platforms is no compile-time constant:\n")
         .append(" * it is read from the running platform's bindings, so a program compiled on one platform never\n")
         .append(" * carries another platform's value (and {@code case} on it does not compile).\n */\n")
         .append("public interface ").append(name).append(" {\n");
        for (Cc.Constant c : constants.values()) {
            String v = c.isLong() ? c.bits() + "L" : String.valueOf((int) c.bits());
            if (platformDependent.contains(c.name())) {
                s.append("    /** {@code ").append(c.cType()).append(' ').append(c.name())
                 .append("}: differs between platforms, so read at run time (here ").append(v).append(") */\n")
                 .append("    ").append(c.isLong() ? "long" : "int").append(' ').append(c.name()).append(" = ")
                 .append(headerClass).append('.').append(c.name()).append("();\n");
                continue;
            }
            s.append("    /** {@code ").append(c.cType()).append(' ').append(c.name()).append("} */\n")
             .append("    ").append(c.isLong() ? "long" : "int").append(' ').append(c.name()).append(" = ").append(v).append(";\n");
        }
        return s.append("}\n").toString();
    }

    record ErrnoEntry(String name, int number, String message, String aliasOf) {}

    String errnoTable(String name, List<ErrnoEntry> entries) {
        StringBuilder s = new StringBuilder(header());
        s.append("/** Every errno of {@code <errno.h>}: number, name and strerror(3) text, in number order; aliases after their name. */\n")
         .append("public final class ").append(name).append(" {\n    private ").append(name).append("() {}\n\n")
         .append("    /** One errno: its number, its name, the name it is an alias of (or null) and strerror's text. */\n")
         .append("    public record Entry(int number, String name, String aliasOf, String message) {}\n\n")
         .append("    public static final java.util.List<Entry> ENTRIES = java.util.List.of(\n");
        List<String> rows = new ArrayList<>();
        for (ErrnoEntry e : entries) {
            rows.add("        new Entry(" + e.number() + ", \"" + e.name() + "\", " + (e.aliasOf() == null ? "null" : "\"" + e.aliasOf() + "\"")
                    + ", \"" + e.message().replace("\\", "\\\\").replace("\"", "\\\"") + "\")");
        }
        return s.append(String.join(",\n", rows)).append(");\n}\n").toString();
    }

    String header() {
        return banner + "\npackage " + pkg + ";\n\n";
    }
}
