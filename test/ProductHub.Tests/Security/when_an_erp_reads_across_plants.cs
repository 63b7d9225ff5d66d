using ProductHub.Hub.Security;
using ProductHub.Tests.Support;
using Xunit.Abstractions;

namespace ProductHub.Tests.Security;

/// <summary>
/// Read isolation per plant, for every read the hub maps: an ERP reads canonical data and its own plants' data, and
/// nothing of another plant: not in a list, not by id, not through a filter, not in a figure.
/// </summary>
public sealed class when_an_erp_reads_across_plants(HubFixture fixture, ITestOutputHelper output) : HubScenario(fixture)
{
    private static readonly string ErpOfP100 = TestTokens.For("erp-p100", [Roles.Erp], "P100");
    private static readonly string Auditor = TestTokens.For("audrey", [Roles.Auditor]);

    /// <summary>
    /// Every GET the hub maps (the change feed aside: its plant-limited view is the feed's own test) as the ERP of P100,
    /// with each route parameter set to objects of both plants, over data of both: nothing specific to P200 may be in
    /// any answer, apart from what the caller itself sent. The same walk as an auditor shows that the data is there.
    /// </summary>
    [Fact]
    public async Task an_erp_reads_nothing_of_another_plant_on_any_read_endpoint()
    {
        await using var p100 = await TestErp.StartAsync();
        await using var p200 = await TestErp.StartAsync();
        var (deliveriesOfP200, exceptionsOfP200) = await TwoPlantsOfData(p100, p200);
        var deliveryOfP100 = (await Api.Get("/api/v1/deliveries?plant=P100")).Items[0]!["deliveryId"]!.GetValue<string>();
        string[] ofP200 = ["p200", .. deliveriesOfP200, .. exceptionsOfP200];
        var values = new Dictionary<string, string[]>
        {
            ["plantCode"] = ["P100"], ["partNumber"] = ["HOUSING", "CASTING"], ["id"] = [deliveryOfP100, .. deliveriesOfP200, .. exceptionsOfP200],
            ["name"] = ["erp-p100", "erp-p200"], ["number"] = ["ECO-7"], ["type"] = ["standard"], ["packageId"] = ["REL-PUMP"],
            ["code"] = ["EA"], ["path"] = ["canonical/v1/plant.schema.json"], ["documentName"] = ["v1"],
            ["documentNumber"] = ["DRW-1"], ["revision"] = ["A"],
        };

        var leaks = new List<string>();
        var auditorSeesP200 = new HashSet<string>();
        // The Blazor circuit's plumbing (/_blazor, /_framework) carries no data of its own.
        var reads = EndpointCall.Of(Host)
            .Where(c => c.Method == "GET" && !c.Route.StartsWith("/_", StringComparison.Ordinal)).ToList();
        var urls = 0;
        foreach (var call in reads)
        {
            foreach (var (url, sent) in call.Urls(values))
            {
                urls++;
                // What the caller sent may come back (a 404 naming the id asked for); anything else of P200 is a leak.
                bool NamesP200(Answer answer) =>
                    sent.Aggregate(answer.Text, (text, value) => text.Replace(value, "", StringComparison.OrdinalIgnoreCase)) is var rest &&
                    ofP200.Any(id => rest.Contains(id, StringComparison.OrdinalIgnoreCase));
                var asErp = await Api.As(ErpOfP100).Get(url);
                if (NamesP200(asErp)) leaks.Add($"{url}: {asErp.Status} {asErp.Text[..Math.Min(400, asErp.Text.Length)]}");
                if (NamesP200(await Api.As(Auditor).Get(url))) auditorSeesP200.Add(call.Route);
            }
        }

        output.WriteLine($"{reads.Count} read routes, {urls} URLs as the ERP of P100: {leaks.Count} answers naming P200; " +
                         $"as an auditor P200 is named on {auditorSeesP200.Count} routes");
        leaks.ShouldBeEmpty();
        string[] plantSpecific =
        [
            "/api/v1/deliveries", "/api/v1/deliveries/{id}", "/api/v1/plants", "/api/v1/exceptions", "/api/v1/exceptions/{id}",
            "/api/v1/ops/summary", "/api/v1/erp-instances", "/api/v1/change-orders", "/api/v1/change-orders/{number}",
            "/api/v1/change-order-policies/{type}", "/api/v1/parts/{partNumber}/history", "/api/v1/parts/{partNumber}/status", "/metrics",
        ];
        plantSpecific.Except(auditorSeesP200).ShouldBeEmpty($"an auditor sees P200 on {string.Join(", ", auditorSeesP200)}");
    }

    [Fact]
    public async Task an_erp_filtering_by_another_plant_is_refused_and_its_own_plant_answers()
    {
        await using var p100 = await TestErp.StartAsync();
        await using var p200 = await TestErp.StartAsync();
        var (deliveriesOfP200, exceptionsOfP200) = await TwoPlantsOfData(p100, p200);
        var erp = Api.As(ErpOfP100);

        (await erp.Get("/api/v1/deliveries?plant=P200")).Status.ShouldBe(403);
        (await erp.Get("/api/v1/exceptions?plant=P200")).Status.ShouldBe(403);
        (await erp.Get($"/api/v1/deliveries/{deliveriesOfP200[0]}")).Status.ShouldBe(404);
        (await erp.Get($"/api/v1/exceptions/{exceptionsOfP200[0]}")).Status.ShouldBe(404);
        (await erp.Get("/api/v1/erp-instances/erp-p200")).Status.ShouldBe(404);
        (await erp.Get("/api/v1/erp-instances/erp-p100")).Status.ShouldBe(200);
        (await erp.Get("/api/v1/deliveries?plant=P100")).Items.ShouldNotBeEmpty();
        (await erp.Get("/api/v1/plants")).Items.Select(p => p!["plantCode"]!.GetValue<string>()).ShouldBe(["P100"]);
        var changeOrder = (await erp.Get("/api/v1/change-orders/ECO-7")).Json;
        changeOrder["steps"]!.AsArray().Select(s => s!["plan"]!["name"]!.GetValue<string>()).ShouldBe(["erp-bom-p100"]);
        // What P200's ERP answered ("boom") is an admin's to read only, wherever it shows.
        (await Api.Get("/api/v1/change-orders/ECO-7")).Text.ShouldContain("boom");
        foreach (var url in new[] { "/api/v1/change-orders/ECO-7", "/api/v1/change-orders", "/api/v1/ops/summary", "/api/v1/deliveries?plant=P200" })
            (await Api.As(Auditor).Get(url)).Text.ShouldNotContain("boom", customMessage: url);
    }

    /// <summary>
    /// Two plants' plant-specific data: P200's ERP fails every delivery and change order step; P200 requires countries
    /// of origin, which the bolt lacks (an exception); a hold reported from each plant; a change order with a step for
    /// each plant's ERP (P200's fails, so the change order is compensated for a reason naming it). Answers P200's ids.
    /// </summary>
    private async Task<(string[] Deliveries, string[] Exceptions)> TwoPlantsOfData(TestErp p100, TestErp p200)
    {
        p200.AlwaysFail = true;
        (await Api.Release(PumpStructure.Release())).Status.ShouldBe(201);
        var requiresOrigin = new { mandatoryAttributes = new[] { new { appliesTo = "buy", attribute = "compliance.countryOfOrigin" } } };
        foreach (var (plant, erp, rules) in new[] { ("P100", p100, (object?)null), ("P200", p200, requiresOrigin) })
        {
            var instance = $"erp-{plant.ToLowerInvariant()}";
            (await Api.Send("PUT", $"/api/v1/erp-instances/{instance}",
                new { channel = "http", http = new { url = erp.Url, timeoutSeconds = 5 }, retry = new { maxAttempts = 1 } })).Status.ShouldBe(201);
            await Api.ConfigurePlant(plant, new { name = plant, erpInstance = instance, rules });
            await Api.Settled(api => api.Assign(plant, "HOUSING"));
            (await Api.Post("/api/v1/status-events", new
            {
                eventId = $"MES-{plant}", type = "ProductionHoldPlaced", source = "mes", plant, partNumber = "CASTING", revision = "A",
                occurredAt = "2026-03-02T06:15:00Z", details = (object?)null,
            })).Status.ShouldBe(201);
        }
        (await Api.Send("PUT", "/api/v1/change-order-policies/standard", new
        {
            stages = new object[]
            {
                new { name = "erp", steps = new[] { new { name = "erp-bom", target = "plant-erps", action = "update-bom", timeoutSeconds = 5,
                    retry = new { maxAttempts = 1 }, compensation = new { action = "revert-bom" } } } },
                new { name = "costing", steps = new[] { new { name = "costing", target = "erp-p200", action = "cost", timeoutSeconds = 5 } } },
            },
        })).Status.ShouldBe(200);
        (await Api.Post("/api/v1/change-orders", new
        {
            number = "ECO-7", type = "standard", reason = "New casting", requestedEffectivity = "2026-06-01",
            affected = new[] { new { partNumber = "CASTING", revision = "A" } }, approval = new { approvedBy = "plm-approver" },
        })).Status.ShouldBe(201);
        await Wait.Until(async () => (await Api.Get("/api/v1/change-orders/ECO-7")).Json["state"]!.GetValue<string>() == "compensated" ? "" : null,
            "the change order to be compensated");
        var deliveries = await Wait.Until(async () =>
            (await Api.Get("/api/v1/deliveries?plant=P200&status=deadLettered")).Items is { Count: > 0 } dead ? dead : null, "P200's deliveries to fail");
        var exceptions = (await Api.Exceptions("plant=P200")).Items;
        exceptions.ShouldNotBeEmpty();
        return (deliveries.Select(d => d!["deliveryId"]!.GetValue<string>()).ToArray(),
            exceptions.Select(e => e!["exceptionId"]!.GetValue<string>()).ToArray());
    }
}
