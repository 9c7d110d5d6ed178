import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// The flow outline from the architecture document, parsed and run against canned responses.
@Suite("Architecture example flow")
struct ArchitectureExampleTests {
    let text = """
        name: Patient books a paid consultation
        tags: [patient, booking, smoke]
        vars:
          email: "{{ fake.email }}"            # unique per run
        steps:
          - name: register
            request:
              method: POST
              url: /api/auth/register
              json: {name: "Asha Rao", email: "{{ email }}", phone: "+919800000001", password: "Str0ng-pass-phrase"}
            expect:
              status: 201
              headers: {content-type: {contains: application/json}}
              json:
                $.success: true
                $.data.user.email: "{{ email }}"
            capture:
              token: $.data.accessToken
          - name: find a dermatologist
            request:
              url: /api/doctors?specialization=Dermatology
              auth: {bearer: "{{ token }}"}
            expect:
              status: 200
              json:
                $.data: {length: {gte: 1}}
            capture:
              doctorId: $.data[0].id
        """

    @Test("parses and runs, echoing the generated email and passing the captured token")
    func runs() async throws {
        var parser = FlowFileParser(
            source: FlowSource(path: "Flows/patient/book.yaml", suiteName: "patient/book.yaml"), readFile: TextFile.referencedFileReader)
        let flow = try parser.parse(text)
        #expect(flow.tags == ["patient", "booking", "smoke"])
        let client = CannedHTTPClient { request throws(APITransportError) in
            if request.url.path == "/api/auth/register" {
                let sent = (try? JSONValue(parsing: request.body ?? Data())) ?? .null
                guard case .object(let fields) = sent, let email = fields["email"] else {
                    return CannedHTTPClient.json(400, "{}")
                }
                let body: JSONValue = ["success": true, "data": ["user": ["email": email], "accessToken": "jwt-1"]]
                return CannedHTTPClient.json(201, body.compactJSON)
            }
            guard request.header("authorization") == "Bearer jwt-1" else { return CannedHTTPClient.json(401, "{}") }
            return CannedHTTPClient.json(200, #"{"success":true,"data":[{"id":"doc-1"}]}"#)
        }
        let result = await FlowRunner(baseURL: URL(string: "http://127.0.0.1:1")!, makeClient: { client }).run(flow)
        #expect(result.status == .passed, "\(result.failure?.details ?? "")")
        #expect(await client.log.requests.last?.url.absoluteString == "http://127.0.0.1:1/api/doctors?specialization=Dermatology")
    }
}
