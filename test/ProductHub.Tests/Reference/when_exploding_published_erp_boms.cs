using System.Text.Json.Nodes;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Reference;

/// <summary>
/// Real BOMs published by Odoo and ERPNext (../shared/reference-data/boms), released through the API and
/// exploded: every total the sources state or compute must come out. "full" and "leaves" come from the
/// canonical BOM; "mrp-components" (what a manufacturing order consumes: one level, phantom kits blown
/// through) from the MBOM of a plant with no rules of its own.
/// </summary>
public sealed class when_exploding_published_erp_boms(HubFixture fixture) : HubScenario(fixture)
{
    public static TheoryData<string> Datasets => new() { "odoo-mrp-demo", "odoo-mrp-testfixture", "erpnext-bom-test-records" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public async Task every_stated_total_comes_out(string dataset)
    {
        var data = ReferenceData.Load(dataset);
        await ReferenceData.ReleaseAsync(Api, data);
        (await Api.ConfigurePlant("REF", new { name = "Reference plant", erpInstance = "erp-ref" })).Status.ShouldBe(201);

        var checkedExpectations = 0;
        foreach (var expected in data["expected"]!.AsArray().Select(e => e!))
        {
            var semantics = expected["semantics"]!.GetValue<string>();
            var root = expected["root"]!.GetValue<string>();
            var bom = semantics == "mrp-components" ? await Api.Mbom("REF", root) : await Api.Bom(root, "depth=all");
            bom.Status.ShouldBe(200, bom.ToString());
            var lines = bom.Json["lines"]!.AsArray().Select(l => l!).ToList();

            var counted = semantics == "leaves" ? lines.Where((l, i) => IsLeaf(lines, i)).ToList() : lines;
            var totals = counted.GroupBy(l => l["partNumber"]!.GetValue<string>())
                .ToDictionary(g => g.Key, g => g.Sum(l => l["extendedQuantity"]!.GetValue<decimal>()));
            var stated = expected["exploded"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<decimal>());
            totals.Keys.ShouldBe(stated.Keys, ignoreOrder: true, $"{dataset} {root} {semantics}");
            foreach (var (part, quantity) in stated)
                totals[part].ShouldBe(quantity, 1e-9m, $"{dataset} {root} {semantics} {part}");

            if (semantics == "full" && expected["indented"] is JsonArray indented)
            {
                lines.Select(Indented).ShouldBe(indented.Select(e => (
                    e!["level"]!.GetValue<int>(), e["parent"]!.GetValue<string>(), e["partNumber"]!.GetValue<string>(),
                    Math.Round(e["extendedQuantity"]!.GetValue<decimal>(), 9), e["unit"]!.GetValue<string>())),
                    $"{dataset} {root} indented");
            }
            checkedExpectations++;
        }
        checkedExpectations.ShouldBeGreaterThan(0);
    }

    private static (int, string, string, decimal, string) Indented(JsonNode line)
    {
        var path = line["path"]!.AsArray();
        return (line["level"]!.GetValue<int>(), path[^2]!.GetValue<string>(), line["partNumber"]!.GetValue<string>(),
            Math.Round(line["extendedQuantity"]!.GetValue<decimal>(), 9), line["extendedUnit"]!.GetValue<string>());
    }

    private static bool IsLeaf(List<JsonNode> lines, int index) =>
        index == lines.Count - 1 || lines[index + 1]["level"]!.GetValue<int>() <= lines[index]["level"]!.GetValue<int>();
}
