using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Hosting;

/// <summary>
/// The README's demo story at P200, whose ERP is the real Tryton run-hub.sh starts: the housing waits for approved
/// manufacturers, PLM releases them (the README's command, with its file), and the pump lands in Tryton with its BOM
/// and routing as P200 builds it, read back through Tryton's own API and compared with the hub's plant answers.
/// </summary>
public sealed partial class when_the_hub_runs_as_shipped
{
    [Fact]
    public async Task p200s_tryton_gets_the_pump_with_its_bom_and_routing_once_plm_gives_the_housing_approved_manufacturers()
    {
        var package = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "demo", "PN-1100-rev-B.json"));
        (await hub.Api.PostAsync("/api/v1/releases", new StringContent(package, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var delivery = await Wait.Until(async () =>
            (await hub.Api.GetFromJsonAsync<JsonNode>("/api/v1/deliveries?instance=erp-p200&part=PN-1000&status=acknowledged"))!["items"]!
            .AsArray().FirstOrDefault(), "the pump acknowledged by P200's Tryton", seconds: 120);

        var products = (await hub.Tryton.ReadAsync("product.product", [], "code")).ToDictionary(p => Id(p), p => p["code"]!.GetValue<string>());
        var pump = products.Single(p => p.Value == "PN-1000").Key;
        var link = (await hub.Tryton.ReadAsync("product.product-production.bom", [new object[] { "product", "=", pump }], "bom", "routing"))
            .ShouldHaveSingleItem();
        var bom = (await hub.Tryton.ReadAsync("production.bom", [new object[] { "id", "=", link["bom"]!.GetValue<long>() }], "name")).Single();
        bom["name"]!.GetValue<string>().ShouldBe($"PN-1000 rev B v{delivery!["mbomVersion"]} (P200)");

        var mbom = (await hub.Api.GetFromJsonAsync<JsonNode>("/api/v1/plants/P200/parts/PN-1000/mbom"))!["lines"]!.AsArray();
        var inputs = await hub.Tryton.ReadAsync("production.bom.input", [new object[] { "bom", "=", Id(bom) }], "product", "quantity", "uom.symbol");
        inputs.Select(i => (products[i["product"]!.GetValue<long>()], (decimal)i["quantity"]!.GetValue<double>())).Order()
            .ShouldBe(mbom.Select(l => (l!["partNumber"]!.GetValue<string>(), l["quantity"]!.GetValue<decimal>())).Order());
        inputs.ShouldAllBe(i => i["uom."]!["symbol"]!.GetValue<string>() == "u");

        var routing = (await hub.Api.GetFromJsonAsync<JsonNode>("/api/v1/plants/P200/parts/PN-1000/routing"))!["operations"]!.AsArray();
        var steps = await hub.Tryton.ReadAsync("production.routing.step", [new object[] { "routing", "=", link["routing"]!.GetValue<long>() }],
            "sequence", "operation.name");
        steps.OrderBy(s => s["sequence"]!.GetValue<long>()).Select(s => s["operation."]!["name"]!.GetValue<string>())
            .ShouldBe(routing.Select(o => $"{o!["workCenter"]}: {o["description"]}"));
        routing.Select(o => o!["workCenter"]!.GetValue<string>()).ShouldContain("MTY-TEST");
    }

    private static long Id(JsonObject record) => record["id"]!.GetValue<long>();
}
