#!/usr/bin/env python3
"""Side-by-side of a C twin and its Java port, statement line by statement line: a reviewer's aid
for counting the Java lines that are not a mechanical rendering of their C line.

    python3 samples/tools/side-by-side.py native/samples/half-close.c \
        samples/src/main/java/io/github/panamasockets/samples/HalfClose.java [C JAVA]...

Both files are reduced to their code lines (comments, blank lines, braces alone, #include,
package/import/class lines, try (Arena ...) and setvbuf dropped). Each line is normalised by the
porting table's mechanical renderings (README "The table"), e.g. `X.f = V;` and `f(X, V);`,
`(struct sockaddr *)&a` and `a`, `buf[i]` and `buf.get(JAVA_BYTE, i)`, `errno` and `errno()`,
`NULL` and `MemorySegment.NULL`, argv[i+1] and args[i], ssize_t/size_t and long. Lines are then
aligned (difflib) and each Java line classed:
  same        equal after normalisation: mechanical
  decl        a local declared as a segment (exempt by the issue's goal)
  segread     a local held in a segment, read or written (x.get(C_INT, 0) for x)
  other       anything else: printed with the C line opposite, to be judged by hand
The normalisation is a heuristic: an 'other' line may still be mechanical (a pattern the rules
miss), so the printed lines are the ones to read, not a verdict.
"""
import difflib, re, sys

def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)
    return text

SKIP_C = [r'^#include', r'^#define _GNU_SOURCE', r'^setvbuf\(', r'^\(void\)argv;$', r'^int main\(']
SKIP_J = [r'^package ', r'^import ', r'^public final class', r'^private \w+\(\) \{\}$', r'^try \(Arena arena', r'^public static void main\(String\[\] args\)',
          r'^@']

def code_lines(path, skip):
    out = []
    for n, line in enumerate(strip_comments(open(path).read()).split('\n'), 1):
        s = line.strip()
        if not s or re.fullmatch(r'[{}();,]*', s): continue
        if any(re.search(p, s) for p in skip): continue
        out.append((n, s))
    return out

CTYPES = r'(?:ssize_t|size_t|off_t|time_t|long)'
LIT = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')

def protect(s):
    lits = LIT.findall(s)
    for i, l in enumerate(lits): s = s.replace(l, '\x00%d\x00' % i, 1)
    return s, lits

def restore(s, lits):
    for i, l in enumerate(lits): s = s.replace('\x00%d\x00' % i, l)
    return s

def norm_c(s):
    s, lits = protect(s)
    return restore(norm_c0(s), lits)

def norm_j(s, segreads=False):
    s, lits = protect(s)
    return restore(norm_j0(s, segreads), lits)

def norm_c0(s):
    s = s.rstrip('{').strip()
    s = re.sub(r'^#define (\w+) (.*)$', r'static final int \1 = \2;', s)
    s = s.replace('(struct sockaddr *)', '')
    s = re.sub(r'\((?:int|long|ssize_t|size_t)\)\s*', '', s)
    s = re.sub(r'\b' + CTYPES + r'\b', 'long', s)
    s = re.sub(r'\bpid_t\b', 'int', s)
    s = re.sub(r'\bconst char \*(\w+)\[\]', r'String[] \1', s)
    s = re.sub(r'\bconst char \*', 'String ', s)
    s = re.sub(r'&(?=[\w(])', '', s)
    s = re.sub(r'\bstatic (int|long|void|char \*)', r'static \1', s)
    s = re.sub(r'\bchar \*(\w+)\(', r'MemorySegment \1(', s)
    s = re.sub(r'\bstruct \w+ \*(\w+)\)', r'MemorySegment \1)', s)
    s = re.sub(r'\bchar \*(\w+)([,)])', r'MemorySegment \1\2', s)
    s = re.sub(r'^errno = (.*);$', r'errno(\1);', s).replace('strerrorname_np', 'strerrorname').replace('(void)', '()')
    s = re.sub(r'\bargv\[(\d+)\]', lambda m: 'args[%d]' % (int(m.group(1)) - 1), s)
    s = re.sub(r'\bargc (==|!=|<) (\d+)', lambda m: 'args.length %s %d' % (m.group(1), int(m.group(2)) - 1), s)
    s = re.sub(r'\bargv\[([a-z_]\w*)\]', r'args[\1 - 1]', s)
    s = re.sub(r'\bargc\b', 'args.length + 1', s)
    s = s.replace('sizeof(int)', 'sizeof(C_INT)').replace('u.buf', 'u').replace('sizeof(*addr)', 'sizeof(addr)')
    # field writes and reads: a.b.c = v -> c(b(a), v); a->b / a.b -> b(a)
    m = re.fullmatch(r'([\w\[\]+ ]+?)((?:(?:\.|->)\w+)+) = (.*);', s)
    if m:
        obj, fields = m.group(1), re.findall(r'\w+', m.group(2))
        for f in fields[:-1]: obj = f + '(' + obj + ')'
        s = fields[-1] + '(' + obj + ', ' + m.group(3) + ');'
    for _ in range(3):
        s = re.sub(r'(\b\w+(?:\[[^\]]+\])?)(?:\.|->)(\w+)\b(?!\()', r'\2(\1)', s)
    s = re.sub(r'\bfd\(data\(([^()]*)\)', r'data_fd(\1', s)
    s = re.sub(r'^static (int|long) (\w+)\[(\w+)\];$', r'static final \1[] \2 = new \1[\3];', s)
    s = re.sub(r'^(int|long) (\w+)\[(\w+)\];$', r'\1[] \2 = new \1[\3];', s)
    return norm_common(s)

def norm_j0(s, segreads):
    s = s.rstrip('{').strip()
    s = re.sub(r'\barena\.allocateFrom\((\x00\d+\x00|\w+\[\w+\])\)', r'\1', s)
    if segreads:
        s = re.sub(r'\b(\w+)\.get\((?:C_INT|C_LONG|socklen_t|C_POINTER), 0\)', r'\1', s)
        s = re.sub(r'\b(\w+)\.getAtIndex\(C_INT, (\w+)\)', r'\1[\2]', s)
        s = re.sub(r'^(\w+)\.set\((?:C_INT|C_LONG|socklen_t), 0, (.*)\);$', r'\1 = \2;', s)
    s = re.sub(r'\bMemorySegment\.NULL\b', 'NULL', s)
    s = re.sub(r'\bnull\b', 'NULL', s)
    s = re.sub(r'!(\w+(?:\([^()]*\))?)\.equals\(NULL\)', r'\1 != NULL', s)
    s = re.sub(r'(\w+(?:\([^()]*(?:\([^()]*\))?[^()]*\))?)\.equals\(NULL\)', r'\1 == NULL', s)
    s = s.replace('errno()', 'errno').replace('args.length', 'length(args)')
    s = re.sub(r'\b(?:pollfd|addrinfo|sockaddr_in6|sockaddr_in|sockaddr_storage|msghdr|iovec|cmsghdr|stat|epoll_event)\.(asSlice|\w+)\(', r'\1(', s)
    s = re.sub(r'\basSlice\((\w+), ([^()]+)\)', r'\1[\2]', s)
    s = re.sub(r'\b(\w+)\.get\(JAVA_BYTE, ([^()]*(?:\([^()]*\))?[^()]*)\)', r'\1[\2]', s)
    s = re.sub(r'\b(\w+)\.set\(JAVA_BYTE, (.*), \(byte\) (.*)\);$', r'\1[\2] = \3;', s)
    s = re.sub(r'\b(\w+)\.asSlice\(([^()]*)\)', r'\1 + \2', s)
    s = re.sub(r'\b(\w+)\.asSlice\(([^()]*\([^()]*\)[^()]*)\)', r'\1 + \2', s)
    s = re.sub(r'\bboolean\b', 'int', s).replace(' = false;', ' = 0;').replace(' = true;', ' = 1;')
    s = re.sub(r'\(([^()]*(?:\([^()]*(?:\([^()]*\))?[^()]*\))?[^()]*) & ([^()]*(?:\([^()]*\))?)\) != 0', r'\1 & \2', s)
    s = re.sub(r'\(([^()]*(?:\([^()]*(?:\([^()]*\))?[^()]*\))?[^()]*) & ([^()]*(?:\([^()]*\))?)\) == 0', r'!(\1 & \2)', s)
    s = re.sub(r'\bstatic final int (\w+) = (.*);', r'static final int \1 = \2;', s)
    s = re.sub(r'^static (\w+) (\w+)\(', r'static \1 \2(', s)
    s = s.replace('(MemorySegment.NULL)', '(NULL)')
    return norm_common(s)

def norm_common(s):
    s = re.sub(r'\s+', ' ', s).strip().rstrip('{').strip()
    return s

DECL_J = re.compile(r'^(?:MemorySegment \w+ = |MemorySegment \w+ = .*, \w+ = )')

C_DECL = re.compile(r'^(?:struct \w+|char|unsigned char|int|long|size_t|ssize_t|socklen_t|time_t)\s+([\w\[\]+ ,*]+?)(?:\s*=\s*[^;]*)?;$')

def main(c_path, j_path, verbose=True):
    c = code_lines(c_path, SKIP_C)
    j = code_lines(j_path, SKIP_J)
    if c and c[-1][1] == 'return 0;': c = c[:-1]  # main's end: Java's main returns nothing
    # Locals Java holds in segments: their C declarations (and the union that only aligns a
    # control buffer) are set aside, and so are the Java declarations, counted as 'decl'.
    seg = set()
    for _, l in j:
        for m in re.finditer(r'MemorySegment (\w+) = (?:arena\.|\w+\.allocate)', l): seg.add(m.group(1))
        for m in re.finditer(r', (\w+) = (?:arena\.|\w+\.allocate)', l): seg.add(m.group(1))
    jnorm_all = {norm_j(x[1]) for x in j}
    keep_c, in_union = [], False
    for n, l in c:
        if l == 'union {': in_union = True; continue
        if in_union:
            if l.startswith('}'): in_union = False
            continue
        m = C_DECL.match(l)
        if m and any(re.sub(r'[\[*].*', '', v.strip()) in seg for v in m.group(1).split(',')) \
                and norm_c(l) not in jnorm_all: continue
        keep_c.append((n, l))
    c = keep_c
    decl = [x for x in j if DECL_J.match(x[1])]
    j = [x for x in j if not DECL_J.match(x[1])]
    cn = [norm_c(s) for _, s in c]
    jn = [norm_j(s) for _, s in j]
    sm = difflib.SequenceMatcher(None, cn, jn, autojunk=False)
    counts = {'same': 0, 'decl': len(decl), 'segread': 0, 'other': 0}
    others = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        for k in range(j1, j2):
            if tag == 'equal':
                counts['same'] += 1; continue
            line = j[k][1]
            # the C line opposite, if any
            ci = i1 + (k - j1)
            cl = c[ci][1] if tag == 'replace' and ci < i2 else ''
            if cl and cn[ci] == jn[k]:
                counts['same'] += 1; continue
            if DECL_J.match(line):
                counts['decl'] += 1; continue
            if cl and cn[ci] == norm_j(line, True):
                counts['segread'] += 1; continue
            counts['other'] += 1
            others.append((j[k][0], line, c[ci][0] if cl else 0, cl))
    unmatched_c = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ('delete', 'replace') and (i2 - i1) > (j2 - j1):
            for ci in range(i1 + (j2 - j1), i2): unmatched_c.append(c[ci])
    if verbose:
        for jl, line, cln, cl in others:
            print('  J%-4d %s\n  C%-4s %s' % (jl, line, cln or '-', cl))
        for n, s in unmatched_c:
            print('  C%-4d %s   (no Java line)' % (n, s))
    return len(c), len(j), counts, others, unmatched_c

if __name__ == '__main__':
    total = {}
    for c_path, j_path in zip(sys.argv[1::2], sys.argv[2::2]):
        print('==', c_path, 'vs', j_path)
        nc, nj, counts, others, unmatched = main(c_path, j_path)
        print('   C code lines %d, Java code lines %d: same %d, decl %d, segment-held local read/written %d, other %d, C lines without Java line %d'
              % (nc, nj, counts['same'], counts['decl'], counts['segread'], counts['other'], len(unmatched)))
