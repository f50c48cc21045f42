/// The reserved words and operators of one language, as the lexer classifies them.
public struct LexicalTables: Sendable, Hashable {
    /// The language these tables describe.
    public let language: Language
    /// Words lexed as `.keyword` (Fortran: lowercase, matched case-insensitively, and only where a keyword can stand).
    public let keywords: [String]
    /// Words lexed as `.typeKeyword`: built-in types, and the standard typedefs Tokompiler's grammar treats as primitive.
    public let typeKeywords: [String]
    /// Operators and punctuators lexed as `.punctuator` (C-family digraphs only when the lexer enables them).
    public let operators: [String]

    /// The tables of a language.
    public static func of(_ language: Language) -> LexicalTables {
        switch language {
        case .c: return LexicalTables(language: .c, keywords: cKeywords + gnuKeywords, typeKeywords: cTypes + primitiveTypedefs,
                                      operators: cOperators + ["::"] + digraphs)
        case .cpp: return LexicalTables(language: .cpp, keywords: cppKeywords + gnuKeywords, typeKeywords: cppTypes + primitiveTypedefs,
                                        operators: cOperators + cppOperators + digraphs)
        case .cuda: return LexicalTables(language: .cuda, keywords: cppKeywords + gnuKeywords + cudaKeywords,
                                         typeKeywords: cppTypes + primitiveTypedefs,
                                         operators: cOperators + cppOperators + cudaOperators + digraphs)
        case .opencl: return LexicalTables(language: .opencl, keywords: cKeywords + gnuKeywords + openCLKeywords,
                                           typeKeywords: cTypes + primitiveTypedefs + openCLTypes,
                                           operators: cOperators + ["::"] + digraphs)
        case .fortran: return LexicalTables(language: .fortran, keywords: fortranKeywords, typeKeywords: fortranTypes,
                                            operators: fortranOperators)
        }
    }

    /// C keywords (C23, including the `_Keyword` spellings) other than type names.
    public static let cKeywords: [String] = [
        "auto", "break", "case", "const", "continue", "default", "do", "else", "enum", "extern", "for", "goto", "if",
        "inline", "register", "restrict", "return", "sizeof", "static", "struct", "switch", "typedef", "union",
        "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Generic", "_Noreturn", "_Static_assert",
        "_Thread_local", "_Pragma", "alignas", "alignof", "constexpr", "false", "nullptr", "static_assert",
        "thread_local", "true", "typeof", "typeof_unqual",
    ]

    /// GNU and MSVC extension keywords accepted in every C-family language.
    public static let gnuKeywords: [String] = [
        "asm", "__asm", "__asm__", "__attribute", "__attribute__", "__extension__", "__inline", "__inline__",
        "__restrict", "__restrict__", "__typeof", "__typeof__", "__volatile", "__volatile__", "__const", "__const__",
        "__thread", "__label__", "__declspec", "__forceinline", "__builtin_va_arg", "__alignof__",
    ]

    /// C built-in type names.
    public static let cTypes: [String] = [
        "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool", "_Bool", "_Complex",
        "_Imaginary", "_BitInt", "_Decimal32", "_Decimal64", "_Decimal128", "__int128", "__signed", "__signed__",
        "__unsigned", "__auto_type", "_Float16", "_Float32", "_Float64", "_Float128", "__fp16", "__float128",
    ]

    /// Standard typedef names that Tokompiler's tree-sitter grammar lexes as primitive types (not `ptrdiff_t`, not `FILE`).
    public static let primitiveTypedefs: [String] = [
        "size_t", "ssize_t", "intptr_t", "uintptr_t", "charptr_t", "int8_t", "int16_t", "int32_t", "int64_t",
        "uint8_t", "uint16_t", "uint32_t", "uint64_t", "char8_t", "char16_t", "char32_t",
    ]

    /// C++ keywords (C++23, alternative operator spellings included) other than type names.
    public static let cppKeywords: [String] = [
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "break", "case", "catch", "class",
        "compl", "concept", "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
        "co_return", "co_yield", "decltype", "default", "delete", "do", "dynamic_cast", "else", "enum", "explicit",
        "export", "extern", "false", "for", "friend", "goto", "if", "inline", "mutable", "namespace", "new",
        "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public",
        "register", "reinterpret_cast", "requires", "return", "sizeof", "static", "static_assert", "static_cast",
        "struct", "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid",
        "typename", "union", "using", "virtual", "volatile", "while", "xor", "xor_eq", "_Pragma",
    ]

    /// C++ built-in type names.
    public static let cppTypes: [String] = [
        "void", "bool", "char", "char8_t", "char16_t", "char32_t", "wchar_t", "short", "int", "long", "float",
        "double", "signed", "unsigned", "__int128", "__signed", "__signed__", "__unsigned", "_Float16", "__fp16",
        "__float128", "_Complex",
    ]

    /// Identifiers with a special meaning in some C++ contexts, lexed as identifiers.
    public static let cppContextualKeywords: [String] = ["final", "override", "import", "module"]

    /// CUDA execution-space, memory-space and launch qualifiers, lexed as keywords in CUDA.
    public static let cudaKeywords: [String] = [
        "__global__", "__device__", "__host__", "__shared__", "__constant__", "__managed__", "__noinline__",
        "__forceinline__", "__launch_bounds__", "__grid_constant__", "__cluster_dims__", "__align__",
        "__restrict__", "__inline_hint__",
    ]

    /// CUDA built-in variables, lexed as identifiers.
    public static let cudaBuiltinVariables: [String] = ["threadIdx", "blockIdx", "blockDim", "gridDim", "warpSize"]

    /// OpenCL C qualifiers and keywords beyond C, lexed as keywords in OpenCL.
    public static let openCLKeywords: [String] = [
        "__kernel", "kernel", "__global", "global", "__local", "local", "__constant", "constant", "__private",
        "private", "__generic", "generic", "__read_only", "read_only", "__write_only", "write_only", "__read_write",
        "read_write", "uniform", "pipe",
    ]

    /// OpenCL C built-in scalar, vector, image and other opaque types.
    public static let openCLTypes: [String] = {
        let scalars = ["char", "uchar", "short", "ushort", "int", "uint", "long", "ulong", "float", "double", "half"]
        var types = ["uchar", "ushort", "uint", "ulong", "half", "ptrdiff_t"]
        for scalar in scalars {
            for width in [2, 3, 4, 8, 16] { types.append("\(scalar)\(width)") }
        }
        types += [
            "image1d_t", "image1d_buffer_t", "image1d_array_t", "image2d_t", "image2d_array_t", "image2d_depth_t",
            "image2d_array_depth_t", "image2d_msaa_t", "image2d_array_msaa_t", "image2d_msaa_depth_t",
            "image2d_array_msaa_depth_t", "image3d_t", "sampler_t", "event_t", "queue_t", "clk_event_t", "ndrange_t",
            "reserve_id_t",
        ]
        return types
    }()

    /// C operators and punctuators.
    public static let cOperators: [String] = [
        "{", "}", "[", "]", "(", ")", ";", ":", ",", ".", "...", "?", "~", "!", "!=", "%", "%=", "^", "^=", "&",
        "&&", "&=", "*", "*=", "+", "++", "+=", "-", "--", "-=", "->", "/", "/=", "<", "<<", "<<=", "<=", "=",
        "==", ">", ">>", ">>=", ">=", "|", "|=", "||", "#", "##",
    ]

    /// Operators C++ adds to C's.
    public static let cppOperators: [String] = ["::", ".*", "->*", "<=>"]

    /// CUDA kernel-launch chevrons.
    public static let cudaOperators: [String] = ["<<<", ">>>"]

    /// C and C++ digraphs, lexed only when the lexer enables them.
    public static let digraphs: [String] = ["<:", ":>", "<%", "%>", "%:", "%:%:"]

    /// Preprocessor directive names (the word after `#`).
    public static let preprocessorDirectives: [String] = [
        "define", "undef", "include", "include_next", "import", "if", "ifdef", "ifndef", "elif", "elifdef",
        "elifndef", "else", "endif", "line", "error", "warning", "pragma", "ident", "sccs", "assert", "unassert",
        "embed",
    ]

    /// Fortran keywords (Fortran 2018 statements, attributes and specifiers), lowercase, both one- and two-word spellings.
    public static let fortranKeywords: [String] = [
        "abstract", "all", "allocatable", "allocate", "assign", "assignment", "associate", "asynchronous",
        "backspace", "bind", "block", "blockdata", "call", "case", "change", "class", "close", "codimension",
        "common", "concurrent", "contains", "contiguous", "continue", "critical", "cycle", "data", "deallocate",
        "default", "deferred", "dimension", "do", "elemental", "else", "elseif", "elsewhere", "end", "endassociate",
        "endblock", "endblockdata", "endcritical", "enddo", "endenum", "endfile", "endforall", "endfunction",
        "endif", "endinterface", "endmodule", "endprocedure", "endprogram", "endselect", "endsubmodule",
        "endsubroutine", "endteam", "endtype", "endwhere", "entry", "enum", "enumerator", "equivalence", "error",
        "event", "exit", "extends", "external", "fail", "final", "flush", "forall", "format", "function", "generic",
        "go", "goto", "if", "images", "implicit", "import", "impure", "in", "include", "inout", "inquire", "intent",
        "interface", "intrinsic", "is", "lock", "memory", "module", "namelist", "non_intrinsic", "non_overridable",
        "non_recursive", "none", "nopass", "nullify", "only", "open", "operator", "optional", "out", "parameter",
        "pass", "pause", "pointer", "post", "print", "private", "procedure", "program", "protected", "public",
        "pure", "read", "recursive", "result", "return", "rewind", "save", "select", "selectcase", "selecttype",
        "sequence", "stop", "submodule", "subroutine", "sync", "target", "team", "then", "to", "type", "unlock",
        "use", "value", "volatile", "wait", "where", "while", "write", ".true.", ".false.",
    ]

    /// Fortran intrinsic type names, lowercase.
    public static let fortranTypes: [String] = [
        "integer", "real", "complex", "logical", "character", "double", "precision", "doubleprecision",
        "doublecomplex", "byte",
    ]

    /// Fortran dotted operators (relational, logical), lowercase; other `.name.` forms are user-defined operators.
    public static let fortranDottedOperators: [String] = [
        ".and.", ".or.", ".not.", ".eqv.", ".neqv.", ".eq.", ".ne.", ".lt.", ".le.", ".gt.", ".ge.",
    ]

    /// Fortran operators and punctuators (`&` is lexed as `.continuation`).
    public static let fortranOperators: [String] = [
        "**", "//", "==", "/=", "<=", ">=", "=>", "<", ">", "=", "+", "-", "*", "/", "%", "(", ")", "[", "]",
        "(/", "/)", ",", ":", "::", ";", ".",
    ] + fortranDottedOperators
}

/// The words of one directive language (OpenMP or OpenACC), lexed as `.keyword` in directive bodies.
public struct DirectiveVocabulary: Sendable, Hashable {
    /// The sentinel word after `#pragma` or `!$` (`omp`, `acc`).
    public let sentinel: String
    /// Directive names (`parallel`, `for`, `do`, `loop`, `end`, ...).
    public let directiveNames: [String]
    /// Clause names (`private`, `reduction`, `schedule`, ...).
    public let clauseNames: [String]
    /// Words that stand inside clause parentheses (`static`, `none`, `tofrom`, `max`, ...).
    public let argumentKeywords: [String]
    /// Clauses whose whole argument may be one of `argumentKeywords` (`schedule(static)`, `default(none)`).
    public let keywordArgumentClauses: [String]
    /// Directive names that make a directive apply to the loop that follows it.
    public let loopConstructs: [String]
    /// Directive names of stand-alone or declarative directives, which never apply to a following statement.
    public let standaloneDirectives: [String]

    /// The word lists as sets, made once: classifying each directive line used to build them again, which
    /// cost more than the classification.
    let directiveNameSet: Set<String>
    let argumentKeywordSet: Set<String>
    let keywordArgumentClauseSet: Set<String>
    let loopConstructSet: Set<String>

    init(sentinel: String, directiveNames: [String], clauseNames: [String], argumentKeywords: [String],
         keywordArgumentClauses: [String], loopConstructs: [String], standaloneDirectives: [String]) {
        self.sentinel = sentinel
        self.directiveNames = directiveNames
        self.clauseNames = clauseNames
        self.argumentKeywords = argumentKeywords
        self.keywordArgumentClauses = keywordArgumentClauses
        self.loopConstructs = loopConstructs
        self.standaloneDirectives = standaloneDirectives
        directiveNameSet = Set(directiveNames)
        argumentKeywordSet = Set(argumentKeywords)
        keywordArgumentClauseSet = Set(keywordArgumentClauses)
        loopConstructSet = Set(loopConstructs)
    }

    /// Every word of the vocabulary, without duplicates, in table order.
    public var allWords: [String] {
        var seen = Set<String>()
        return ([sentinel] + directiveNames + clauseNames + argumentKeywords).filter { seen.insert($0).inserted }
    }

    /// OpenMP 5.2 / 6.0.
    public static let openMP = DirectiveVocabulary(
        sentinel: "omp",
        directiveNames: [
            "parallel", "for", "do", "sections", "section", "single", "workshare", "simd", "declare", "target",
            "data", "enter", "exit", "update", "teams", "distribute", "loop", "task", "taskloop", "taskyield",
            "taskwait", "taskgroup", "master", "masked", "critical", "barrier", "atomic", "flush", "ordered",
            "threadprivate", "cancel", "cancellation", "point", "scan", "depobj", "requires", "metadirective",
            "assume", "assumes", "begin", "end", "nothing", "error", "interop", "dispatch", "allocate", "allocators",
            "tile", "unroll", "scope", "reduction", "mapper", "variant", "induction", "workdistribute", "stripe",
        ],
        clauseNames: [
            "if", "num_threads", "default", "private", "firstprivate", "lastprivate", "shared", "copyin",
            "copyprivate", "reduction", "in_reduction", "task_reduction", "proc_bind", "schedule", "collapse",
            "ordered", "nowait", "linear", "aligned", "safelen", "simdlen", "nontemporal", "order", "uniform",
            "inbranch", "notinbranch", "device", "map", "is_device_ptr", "has_device_addr", "use_device_ptr",
            "use_device_addr", "defaultmap", "depend", "num_teams", "thread_limit", "dist_schedule", "final",
            "untied", "mergeable", "priority", "grainsize", "num_tasks", "nogroup", "allocate", "allocator",
            "affinity", "detach", "bind", "hint", "read", "write", "capture", "compare", "seq_cst", "acq_rel",
            "acquire", "release", "relaxed", "threads", "simd", "to", "from", "link", "device_type", "filter",
            "sizes", "partial", "full", "destroy", "init", "use", "novariants", "nocontext", "at", "severity",
            "message", "fail", "weak", "align", "inclusive", "exclusive", "doacross", "when", "otherwise", "match",
            "indirect", "enter", "initializer", "combiner", "unified_address", "unified_shared_memory",
            "reverse_offload", "dynamic_allocators", "atomic_default_mem_order", "holds", "absent", "contains",
            "no_openmp", "no_openmp_routines", "no_parallelism", "local", "self_maps", "looprange", "permutation",
        ],
        argumentKeywords: [
            "static", "dynamic", "guided", "auto", "runtime", "monotonic", "nonmonotonic", "none", "shared",
            "firstprivate", "private", "master", "primary", "close", "spread", "to", "from", "tofrom", "alloc",
            "release", "delete", "always", "present", "mapper", "iterator", "in", "out", "inout", "mutexinoutset",
            "inoutset", "depobj", "source", "sink", "concurrent", "reproducible", "unconstrained", "teams", "parallel",
            "thread", "val", "ref", "uval", "step", "max", "min", "task", "inscan", "default", "conditional",
            "seq_cst", "acq_rel", "relaxed", "acquire", "device", "host", "nohost", "any", "ancestor", "device_num",
            "strict", "target", "targetsync", "simd", "taskloop", "cancel", "data", "enter", "exit", "update",
            "scalar", "aggregate", "pointer", "allocatable", "omp_priv", "omp_orig", "warning", "fatal",
            "compilation", "execution", "iand", "ior", "ieor", "self",
        ],
        keywordArgumentClauses: [
            "schedule", "default", "proc_bind", "order", "bind", "dist_schedule", "defaultmap", "device_type",
            "atomic_default_mem_order", "severity", "at", "fail", "depend", "doacross", "update",
        ],
        loopConstructs: ["for", "do", "loop", "simd", "taskloop", "distribute", "tile", "unroll"],
        standaloneDirectives: [
            "barrier", "taskwait", "taskyield", "flush", "threadprivate", "declare", "cancel", "cancellation", "scan",
            "depobj", "requires", "allocate", "end", "begin", "assumes", "error", "interop", "nothing", "section",
            "groupprivate",
        ]
    )

    /// OpenACC 3.3.
    public static let openACC = DirectiveVocabulary(
        sentinel: "acc",
        directiveNames: [
            "parallel", "kernels", "serial", "data", "enter", "exit", "host_data", "loop", "cache", "atomic",
            "declare", "init", "shutdown", "set", "update", "wait", "routine", "end",
        ],
        clauseNames: [
            "async", "wait", "num_gangs", "num_workers", "vector_length", "device_type", "dtype", "if", "self",
            "reduction", "copy", "copyin", "copyout", "create", "no_create", "present", "deviceptr", "attach",
            "detach", "delete", "private", "firstprivate", "default", "collapse", "gang", "worker", "vector", "seq",
            "independent", "auto", "tile", "finalize", "if_present", "use_device", "device_resident", "link", "host",
            "device", "bind", "nohost", "read", "write", "update", "capture", "default_async", "device_num",
            "present_or_copy", "present_or_copyin", "present_or_copyout", "present_or_create", "pcopy", "pcopyin",
            "pcopyout", "pcreate",
        ],
        argumentKeywords: [
            "none", "present", "max", "min", "num", "length", "static", "dim", "readonly", "zero", "devnum", "queues",
            "force", "iand", "ior", "ieor",
        ],
        keywordArgumentClauses: ["default", "device_type", "dtype"],
        loopConstructs: ["loop"],
        standaloneDirectives: [
            "enter", "exit", "cache", "declare", "init", "shutdown", "set", "update", "wait", "routine", "end",
        ]
    )
}
