/// The variable names templates read (the root of each `{{ path }}`), for linting without running.
/// Generators (`fake.*`, a bare `uuid`) are not variables and are left out.
extension TemplateExpression {
    var variableRoots: Set<String> {
        switch self {
        case .string, .number: return []
        case .path(let root, let components):
            if root == "fake" || (root == "uuid" && components.isEmpty) { return [] }
            return [root]
        case .call(_, let arguments): return arguments.reduce(into: Set<String>()) { $0.formUnion($1.variableRoots) }
        }
    }
}

extension Template {
    /// Variables this template reads.
    var variableRoots: Set<String> {
        parts.reduce(into: Set<String>()) { roots, part in
            if case .expression(let expression) = part { roots.formUnion(expression.variableRoots) }
        }
    }
}

extension TemplateValue {
    /// Variables read anywhere in this value.
    var variableRoots: Set<String> {
        switch self {
        case .null, .bool, .number: return []
        case .string(let template): return template.variableRoots
        case .array(let elements): return elements.reduce(into: Set<String>()) { $0.formUnion($1.variableRoots) }
        case .object(let members): return members.reduce(into: Set<String>()) { $0.formUnion($1.value.variableRoots) }
        }
    }
}

extension Matcher {
    /// Variables read by the matcher's literals and predicates.
    var variableRoots: Set<String> {
        switch self {
        case .literal(let value): return value.variableRoots
        case .predicates(let predicates): return predicates.reduce(into: Set<String>()) { $0.formUnion($1.variableRoots) }
        }
    }
}

extension Predicate {
    var variableRoots: Set<String> {
        switch self {
        case .equals(let value), .contains(let value), .compare(_, let value): return value.variableRoots
        case .matches(let template): return template.variableRoots
        case .length(let matcher), .not(let matcher): return matcher.variableRoots
        case .oneOf(let values): return values.reduce(into: Set<String>()) { $0.formUnion($1.variableRoots) }
        case .exists, .type: return []
        }
    }
}

extension Step {
    /// Variables the step's request and expectations read (not its own `vars:`, which are checked in order).
    var requestAndExpectationRoots: Set<String> {
        var roots = request.url.variableRoots
        for item in request.query { roots.formUnion(item.value.variableRoots) }
        for header in request.headers { roots.formUnion(header.value.variableRoots) }
        if let bearer = request.bearer { roots.formUnion(bearer.variableRoots) }
        if let basic = request.basic { roots.formUnion(basic.username.variableRoots.union(basic.password.variableRoots)) }
        switch request.body {
        case .json(let value): roots.formUnion(value.variableRoots)
        case .raw(let template): roots.formUnion(template.variableRoots)
        case .form(let fields): for field in fields { roots.formUnion(field.value.variableRoots) }
        case nil: break
        }
        roots.formUnion(expect.variableRoots)
        if let retry { roots.formUnion(retry.until.variableRoots) }
        return roots
    }
}

extension Expectation {
    var variableRoots: Set<String> {
        var roots = Set<String>()
        if let status { roots.formUnion(status.variableRoots) }
        for header in headers { roots.formUnion(header.matcher.variableRoots) }
        for check in json {
            roots.formUnion(check.matcher.variableRoots)
            if let template = check.pathTemplate { roots.formUnion(template.variableRoots) }
        }
        if let body { roots.formUnion(body.variableRoots) }
        return roots
    }
}

extension ActorSpec {
    /// Variables the credentials read.
    var variableRoots: Set<String> {
        var roots = email.variableRoots.union(password.variableRoots)
        if let role { roots.formUnion(role.variableRoots) }
        if let tenant { roots.formUnion(tenant.variableRoots) }
        return roots
    }
}

extension Flow {
    /// The flow variables whose values setup depends on: those its steps (requests, expectations, step variables)
    /// and the flow's actors' credentials read, and the flow variables those read in turn.
    ///
    /// A load test that runs setup once and the main steps many times keeps these at setup's values (the doctor the
    /// setup onboarded must be the one the steps book) and evaluates every other flow variable afresh per iteration
    /// (each journey registers its own patient), so iterations never collide (docs/load-testing.md).
    public var variablesSetupDependsOn: Set<String> {
        var pending = Set<String>()
        for step in setup {
            pending.formUnion(step.requestAndExpectationRoots)
            for variable in step.vars { pending.formUnion(variable.value.variableRoots) }
        }
        for actor in actors { pending.formUnion(actor.variableRoots) }
        let definitions = Dictionary(vars.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        var pinned = Set<String>()
        while let name = pending.popFirst() {
            guard let value = definitions[name], pinned.insert(name).inserted else { continue }
            pending.formUnion(value.variableRoots)
        }
        return pinned
    }
}
