import APITransport
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("JSONPath")
struct JSONPathTests {
    let document: JSONValue = [
        "data": [
            "id": "a1", "status": "confirmed",
            "items": [
                ["name": "x", "price": 10, "status": "active"],
                ["name": "y", "price": 25, "status": "inactive"],
                ["name": "z", "price": 40, "status": "active"],
            ],
            "weird key": 7,
        ],
        "meta": ["name": "m"],
    ]

    func select(_ path: String) throws -> [JSONValue] {
        try JSONPathQuery(path).select(in: document)
    }

    @Test("root selects the document")
    func root() throws { #expect(try select("$") == [document]) }

    @Test("dot member names")
    func names() throws {
        #expect(try select("$.data.status") == ["confirmed"])
        #expect(try select("$.data.missing") == [])
    }

    @Test("bracketed names with either quote")
    func bracketNames() throws {
        #expect(try select("$['data']['weird key']") == [7])
        #expect(try select(#"$["data"].id"#) == ["a1"])
    }

    @Test("indexes, including negative")
    func indexes() throws {
        #expect(try select("$.data.items[0].name") == ["x"])
        #expect(try select("$.data.items[-1].name") == ["z"])
        #expect(try select("$.data.items[3]") == [])
    }

    @Test("wildcards in both notations")
    func wildcards() throws {
        #expect(try select("$.data.items[*].name") == ["x", "y", "z"])
        #expect(try select("$.data.items.*.price") == [10, 25, 40])
    }

    @Test("slices with defaults and steps")
    func slices() throws {
        #expect(try select("$.data.items[0:2].name") == ["x", "y"])
        #expect(try select("$.data.items[1:].name") == ["y", "z"])
        #expect(try select("$.data.items[::2].name") == ["x", "z"])
        #expect(try select("$.data.items[::-1].name") == ["z", "y", "x"])
        #expect(try select("$.data.items[-2:].name") == ["y", "z"])
    }

    @Test("descendants")
    func descendants() throws {
        #expect(try select("$..name") == ["x", "y", "z", "m"])
        #expect(try select("$.data.items..[*]").count == 12)
    }

    @Test("unions")
    func unions() throws {
        #expect(try select("$.data.items[0,2].name") == ["x", "z"])
        #expect(try select("$.data['id','status']") == ["a1", "confirmed"])
    }

    @Test("filters with comparisons, logic and existence")
    func filters() throws {
        #expect(try select("$.data.items[?@.status == 'active'].name") == ["x", "z"])
        #expect(try select("$.data.items[?@.price > 10 && @.price < 40].name") == ["y"])
        #expect(try select("$.data.items[?@.price <= 10 || @.name == 'z'].name") == ["x", "z"])
        #expect(try select("$.data.items[?!(@.status == 'active')].name") == ["y"])
        #expect(try select("$.data.items[?@.price]").count == 3)
        #expect(try select("$.data.items[?@.nothing]").isEmpty)
        #expect(try select("$.data.items[?@.price >= $.data.items[1].price].name") == ["y", "z"])
    }

    @Test("filter functions")
    func functions() throws {
        #expect(try select("$.data.items[?length(@.name) == 1]").count == 3)
        #expect(try select("$.data.items[?match(@.status, 'act.*')].name") == ["x", "z"])
        #expect(try select("$.data.items[?search(@.status, 'in')].name") == ["y"])
        #expect(try select("$[?count(@.items[*]) == 3].id") == ["a1"])
        #expect(try select("$.data.items[?value(@.price) == 25].name") == ["y"])
    }

    @Test("comparisons: numbers by value, arrays and objects deeply, a missing value equals only another")
    func comparisons() throws {
        let document: JSONValue = [
            "want": ["tags": ["a", "b"], "size": ["w": 1]],
            "items": [
                ["id": 1, "tags": ["a", "b"], "size": ["w": 1.0]],
                ["id": 2, "tags": ["b", "a"], "size": ["w": 2]],
                ["id": 3],
            ],
        ]
        func ids(_ path: String) throws -> [JSONValue] { try JSONPathQuery(path).select(in: document) }
        #expect(try ids("$.items[?@.tags == $.want.tags].id") == [1])
        #expect(try ids("$.items[?@.size == $.want.size].id") == [1])
        #expect(try ids("$.items[?@.id == 1.0].id") == [1])
        #expect(try ids("$.items[?@.missing == $.absent].id") == [1, 2, 3])
        #expect(try ids("$.items[?@.tags != $.want.tags].id") == [2, 3])
        #expect(try ids("$.items[?@.tags <= $.want.tags].id") == [1])
        #expect(try ids("$.items[?@.id < 'x'].id") == [])
    }

    @Test("match and search use I-Regexp: '.' excludes line breaks, match is anchored, a bad pattern is false")
    func regularExpressions() throws {
        let document: JSONValue = ["a-c", "a\nc", "a\rc", "xa-cx", "a.c", "Ab"]
        func select(_ path: String) throws -> [JSONValue] { try JSONPathQuery(path).select(in: document) }
        #expect(try select("$[?match(@, 'a.c')]") == ["a-c", "a.c"])
        #expect(try select("$[?search(@, 'a.c')]") == ["a-c", "xa-cx", "a.c"])
        #expect(try select(#"$[?match(@, 'a\\.c')]"#) == ["a.c"])
        #expect(try select(#"$[?match(@, '[^\\n]+')]"#) == ["a-c", "a\rc", "xa-cx", "a.c", "Ab"])
        #expect(try select(#"$[?search(@, '\\p{Lu}|^x')]"#) == ["xa-cx", "Ab"])
        #expect(try select("$[?match(@, 'a[-.]c')]") == ["a-c", "a.c"])
        for invalid in [#"\\d"#, "a**", "(a", "a{2,1}", "[]", "a*?", #"\\p{Latin}"#, #"[a-\\p{L}]"#] {
            #expect(try select("$[?search(@, '\(invalid)')]") == [], "\(invalid) is not an I-Regexp")
        }
    }

    @Test("selectLocated gives each node with its Normalized Path (RFC 9535 §2.7)")
    func locatedNodes() throws {
        let nodes = try JSONPathQuery("$.data.items[-1:0:-1].name").selectLocated(in: document)
        #expect(nodes.map(\.path.description) == ["$['data']['items'][2]['name']", "$['data']['items'][1]['name']"])
        #expect(nodes.map(\.value) == ["z", "y"])
        #expect(
            try JSONPathQuery("$['data']['weird key']").selectLocated(in: document).map(\.path.description)
                == ["$['data']['weird key']"])
        let path = JSONPathNormalizedPath([.name("it's\\\u{7}\u{1F}\t\u{7F}é\""), .index(0)])
        #expect(path.description == "$['it\\'s\\\\\\u0007\\u001f\\t\u{7F}é\"'][0]")
        #expect(try JSONPathQuery("$").selectLocated(in: document) == [JSONPathNode(value: document, path: .init())])
    }

    @Test("singular queries")
    func singular() throws {
        #expect(try JSONPathQuery("$.a[0]['b']").isSingular)
        #expect(try !JSONPathQuery("$.a[*]").isSingular)
    }

    @Test(
        "parse errors give the column",
        arguments: [
            ("data.id", 1),
            ("$.data[", 8),
            ("$.data[0", 9),
            ("$..", 4),
            ("$.data.items[?@.a = 1]", 19),
            ("$['unterminated", 3),
            ("$.data.items[?nope(@)]", 15),
            ("$.a b", 5),
        ])
    func errors(path: String, column: Int) {
        #expect {
            _ = try JSONPathQuery(path)
        } throws: { error in
            (error as? JSONPathError)?.column == column
        }
    }

    @Test(
        "RFC 9535 rules are enforced, each error at the offending character",
        arguments: [
            ("$[01]", 3, "leading zeros"),
            ("$[-0]", 3, "-0"),
            ("$[1.0]", 3, "integer"),
            ("$[9007199254740992]", 3, "I-JSON"),
            ("$[-9007199254740992:]", 3, "I-JSON"),
            ("$[::0.5]", 5, "integer"),
            ("$.a[?@.b ==]", 12, "expected a literal"),
            ("$[?@.* == 1]", 4, "singular query"),
            ("$[?@..a == 1]", 4, "singular query"),
            ("$[?@[ 'a' ] == 1]", 6, "blank space inside its brackets"),
            ("$[?length(@.*) == 1]", 11, "singular query"),
            ("$[?count(1) == 1]", 10, "NodesType"),
            ("$[?count(@.a == 1) == 1]", 10, "NodesType"),
            ("$[?length(@.a)]", 4, "ValueType"),
            ("$[?match(@.a, 'x') == true]", 4, "LogicalType"),
            ("$[?match(@.a)]", 13, "2 arguments"),
            ("$[?true]", 4, "literal is not a test"),
            ("$[?!@.a == 1]", 9, "'!' negates a test"),
            ("$[?@.a == 1 == 2]", 13, "chained"),
            ("$[?count (@.a) == 1]", 9, "function name and '('"),
            ("$. a", 3, "after '.'"),
            ("$.. a", 4, "after '..'"),
            (" $", 1, "before '$'"),
            ("$.a ", 4, "end of the query"),
            ("$['a\u{01}']", 5, "U+0001"),
            ("$['a\nb']", 5, "U+000A"),
            (#"$["\uD800"]"#, 4, "high surrogate"),
            (#"$["\uD800\u0041"]"#, 10, "low surrogate"),
            (#"$["\uDC00"]"#, 4, "low surrogate"),
            (#"$["\'"]"#, 4, "not an escape"),
            (#"$['\x41']"#, 4, "invalid escape"),
            ("$['e\u{301}', 01]", 8, "leading zeros"),
        ])
    func rules(path: String, column: Int, message: String) {
        #expect {
            _ = try JSONPathQuery(path)
        } throws: { error in
            guard let error = error as? JSONPathError else { return false }
            return error.column == column && error.message.contains(message)
        }
    }

    @Test(
        "what RFC 9535 allows parses",
        arguments: [
            "$ .a", "$[ 0 , 'a' ]", "$[-9007199254740991]", "$[1:2:0]", "$[?@[ 'a' ]]", "$[? !@.a]", "$[?!(@.a == 1)]",
            "$[?@.a==1&&@.b||@.c]", "$[?length(@.a) == count(@.*)]", "$[?match(@.a, 'x' )]", "$[?value(@..a) == -0]",
            "$.true", "$.☺", #"$['\uD834\uDD1E']"#, "$[?@ == 1e3 || @ == -1.5E-2]", "$[?search(@, $.pattern)]",
        ])
    func valid(path: String) throws {
        _ = try JSONPathQuery(path)
    }
}
