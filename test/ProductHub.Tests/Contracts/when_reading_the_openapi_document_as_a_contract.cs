using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using ProductHub.Adapters.Contracts;
using ProductHub.Hub.Api;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Contracts;

/// <summary>
/// The served OpenAPI document read the way a client's tooling reads it: by Microsoft.OpenApi's reader and its
/// validation rules, then by the rules a generated client needs from every operation.
/// </summary>
public sealed partial class when_reading_the_openapi_document_as_a_contract(HubFixture fixture) : HubScenario(fixture)
{
    private static readonly string[] ProblemsOfEveryOperation = ["400", "401", "403"];

    private async Task<string> ServedDocument() => (await Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsText();

    [Fact]
    public async Task an_openapi_reader_finds_no_error_in_it()
    {
        var read = OpenApiDocument.Parse(await ServedDocument(), "json");

        read.Diagnostic!.Errors.ShouldBeEmpty();
        read.Diagnostic.Warnings.ShouldBeEmpty();
        read.Diagnostic.SpecificationVersion.ShouldBe(OpenApiSpecVersion.OpenApi3_1);
        read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!.ShouldBeEmpty();
    }

    [Fact]
    public async Task every_operation_has_a_summary_a_feature_tag_a_typed_answer_and_its_problems()
    {
        var document = OpenApiDocument.Parse(await ServedDocument(), "json").Document!;
        var operations = document.Paths
            .SelectMany(p => p.Value.Operations!.Select(o => (Name: $"{o.Key} {p.Key}", Operation: o.Value))).ToList();

        operations.Count.ShouldBeGreaterThan(40);
        operations.Select(o => o.Operation.OperationId).ShouldBeUnique();
        var defects = operations.SelectMany(o => Defects(o.Operation).Select(d => $"{o.Name}: {d}")).ToList();
        defects.ShouldBeEmpty(string.Join(Environment.NewLine, defects));
    }

    [Fact]
    public async Task every_request_contract_is_a_request_body_with_the_schema_the_hub_validates_with()
    {
        var served = JsonNode.Parse(await ServedDocument())!;
        var bodies = served["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]))
            .OfType<JsonNode>().Select(r => r.GetValue<string>().Split('/')[^1]).ToHashSet();
        var contracts = typeof(JsonBody).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(ContractAttribute), false).Length > 0).ToList();

        contracts.Count.ShouldBeGreaterThan(15);
        foreach (var contract in contracts)
        {
            bodies.ShouldContain(contract.Name, $"{contract.Name} is read by an endpoint but is no operation's request body");
            var component = served["components"]!["schemas"]![contract.Name]!;
            var schema = JsonNode.Parse(ContractSchema.For(contract).Text)!;
            Names(component["properties"]).ShouldBe(Names(schema["properties"]), contract.Name);
            Names(component["required"]).ShouldBe(Names(schema["required"]), contract.Name);
            component["additionalProperties"]?.ToJsonString().ShouldBe(schema["additionalProperties"]?.ToJsonString(), contract.Name);
        }
    }

    private static IEnumerable<string> Defects(OpenApiOperation operation)
    {
        if (string.IsNullOrWhiteSpace(operation.Summary) || operation.Summary == operation.OperationId)
            yield return $"its summary is '{operation.Summary}'";
        // A client's method is named after it: a verb and what it acts on, not the route spelled out.
        if (operation.OperationId is not { } id || !OperationIdShape().IsMatch(id))
            yield return $"its operation id is '{operation.OperationId}'";
        if (operation.Tags is not { Count: > 0 } || operation.Tags.Any(t => t.Name!.Contains('.')))
            yield return "it has no feature tag";
        var answers = operation.Responses!.Where(r => r.Key.StartsWith('2')).ToList();
        if (answers.Count == 0 || answers.Any(a => a.Key != "204" && a.Value.Content?.Values.Any(c => c.Schema is not null) is not true))
            yield return "it has no 2xx answer with a schema";
        if (operation.Responses!.Values.Any(r =>
                r.Content?.Values.Any(c => c.Schema is OpenApiSchemaReference { Reference.Id: "IResult" }) is true))
            yield return "it answers IResult";
        foreach (var status in ProblemsOfEveryOperation.Concat(operation.Responses!.Keys.Where(k => k[0] is '4')))
        {
            if (!operation.Responses.TryGetValue(status, out var problem) ||
                problem.Content?.ContainsKey("application/problem+json") is not true)
                yield return $"its {status} is not a problem answer";
        }
    }

    private static string[] Names(JsonNode? node) => node switch
    {
        JsonObject properties => properties.Select(p => p.Key).Order().ToArray(),
        JsonArray names => names.Select(n => n!.GetValue<string>()).Order().ToArray(),
        _ => [],
    };

    [GeneratedRegex("^[a-z]+[A-Z][A-Za-z]*$")]
    private static partial Regex OperationIdShape();
}
