import Testing

@testable import FlowKit

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

    @Test("singular queries")
    func singular() throws {
        #expect(try JSONPathQuery("$.a[0]['b']").isSingular)
        #expect(try !JSONPathQuery("$.a[*]").isSingular)
    }

    @Test("parse errors give the column", arguments: [
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
}
