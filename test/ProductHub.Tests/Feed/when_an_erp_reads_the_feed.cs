using System.Text.Json.Nodes;
using ProductHub.Hub.Security;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Feed;

/// <summary>
/// An ERP's token reads canonical events and its own plants' events; another plant's events (publications,
/// exceptions, deliveries, status reports, configuration) never reach it, not even their positions.
/// </summary>
public sealed class when_an_erp_reads_the_feed(HubFixture fixture, ITestOutputHelper output) : TestErpScenario(fixture)
{
    private static readonly string ErpOfP100 = TestTokens.For("erp-p100", [Roles.Erp], "P100");

    /// <summary>Both plants build the housing; P200 insists on countries of origin, which the bolt lacks: an exception there.</summary>
    private async Task BothPlantsBuildTheHousing()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        foreach (var plant in new[] { "P100", "P200" })
        {
            var instance = $"erp-{plant.ToLowerInvariant()}";
            (await Api.Send("PUT", $"/api/v1/erp-instances/{instance}", new { channel = "http", http = new { url = Erp.Url } })).Status.ShouldBe(201);
            var rules = plant == "P200" ? new { mandatoryAttributes = new[] { new { appliesTo = "buy", attribute = "compliance.countryOfOrigin" } } } : null;
            await Api.ConfigurePlant(plant, new { name = plant, erpInstance = instance, rules });
            await Api.Settled(api => api.Assign(plant, "HOUSING"));
        }
        await Wait.Until(async () => (await Api.Get("/api/v1/deliveries?status=acknowledged")).Items.Count == 4 ? "" : null,
            "P100's housing, casting and bolt and P200's casting to be acknowledged");
        foreach (var plant in new[] { "P100", "P200" })
        {
            (await Api.Post("/api/v1/status-events", new
            {
                eventId = $"MES-{plant}", type = "ProductionHoldPlaced", source = "mes", plant, partNumber = "HOUSING", revision = "A",
                occurredAt = "2026-03-02T06:15:00Z",
            })).Status.ShouldBe(201);
        }
    }

    /// <summary>The whole feed as one token reads it, page by page.</summary>
    private async Task<List<JsonNode>> WholeFeed(HubApi api)
    {
        var (events, after) = (new List<JsonNode>(), 0L);
        while (true)
        {
            var page = (await api.Get($"/api/v1/feed?after={after}&limit=7")).Json;
            var next = page["next"]!.GetValue<long>();
            if (next == after) return events;
            events.AddRange(page["events"]!.AsArray().Select(e => e!));
            after = next;
        }
    }

    private static string Stream(JsonNode e) => e["stream"]!.GetValue<string>();

    [Fact]
    public async Task it_gets_canonical_events_and_its_own_plants_events_only()
    {
        await BothPlantsBuildTheHousing();
        var everything = await WholeFeed(Api);
        var p100Deliveries = (await Api.Get("/api/v1/deliveries?plant=P100")).Items.Select(d => $"delivery/{d!["deliveryId"]}").ToHashSet();

        var erp = await WholeFeed(Api.As(ErpOfP100));
        output.WriteLine($"feed: {everything.Count} events for an admin, {erp.Count} for the ERP of P100, " +
                         $"{everything.Count(e => e.ToJsonString().Contains("P200", StringComparison.OrdinalIgnoreCase))} of them naming P200");

        erp.Select(e => e.ToJsonString()).ShouldAllBe(json => !json.Contains("P200", StringComparison.OrdinalIgnoreCase));
        everything.ShouldContain(e => e.ToJsonString().Contains("P200"));
        erp.Where(e => Stream(e).StartsWith("delivery/")).Select(Stream).Distinct().Order().ShouldBe(p100Deliveries.Order());
        erp.ShouldNotContain(e => Stream(e).StartsWith("exception/"));
        everything.ShouldContain(e => Stream(e).StartsWith("exception/"));
        erp.Select(e => e["type"]!.GetValue<string>()).ShouldContain("PlantBomPublished");
        erp.Where(e => e["type"]!.GetValue<string>() == "ProductionHoldPlaced").ShouldHaveSingleItem()["data"]!["plantCode"]!
            .GetValue<string>().ShouldBe("P100");
        // Canonical events: what PLM released, for every reader alike.
        erp.Where(e => !Stream(e).Contains('/') && e["type"]!.GetValue<string>() != "ProductionHoldPlaced").Select(e => e["position"]!.GetValue<long>())
            .ShouldBe(everything.Where(e => !Stream(e).Contains('/') && e["type"]!.GetValue<string>() != "ProductionHoldPlaced")
                .Select(e => e["position"]!.GetValue<long>()));
    }

    [Fact]
    public async Task a_parts_history_shows_it_the_status_reports_of_its_own_plants_only()
    {
        await BothPlantsBuildTheHousing();

        var history = (await Api.As(ErpOfP100).History("HOUSING")).Json["events"]!.AsArray();

        history.Where(e => e!["type"]!.GetValue<string>() == "ProductionHoldPlaced").Select(e => e!["data"]!["plantCode"]!.GetValue<string>())
            .ShouldBe(["P100"]);
        (await Api.History("HOUSING")).Json["events"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "ProductionHoldPlaced").ShouldBe(2);
    }

    [Fact]
    public async Task a_long_poll_is_not_answered_by_another_plants_events()
    {
        await BothPlantsBuildTheHousing();
        var head = (await Api.Get("/api/v1/feed/head")).Json["position"]!.GetValue<long>();

        var poll = Api.As(ErpOfP100).Get($"/api/v1/feed?after={head}&wait=20");
        await Api.Post("/api/v1/status-events", new
        {
            eventId = "MES-P200-2", type = "ProductionHoldReleased", source = "mes", plant = "P200", partNumber = "HOUSING", revision = "A",
            occurredAt = "2026-03-03T06:15:00Z",
        });
        await Task.Delay(500);
        await Api.Post("/api/v1/status-events", new
        {
            eventId = "MES-P100-2", type = "ProductionHoldReleased", source = "mes", plant = "P100", partNumber = "HOUSING", revision = "A",
            occurredAt = "2026-03-03T06:15:00Z",
        });

        var page = (await poll).Json;
        page["events"]!.AsArray().ShouldHaveSingleItem()!["data"]!["eventId"]!.GetValue<string>().ShouldBe("MES-P100-2");
        page["next"]!.GetValue<long>().ShouldBe(head + 2);
    }

    [Fact]
    public async Task a_webhook_sees_every_plant()
    {
        (await Api.Send("PUT", "/api/v1/webhooks/mes", new { url = Erp.Url, eventTypes = new[] { "PlantBomPublished" } })).Status.ShouldBe(200);

        await BothPlantsBuildTheHousing();

        await Wait.Until(() => Task.FromResult(Erp.Accepted.Where(r => r.Body["webhook"] is not null)
                .SelectMany(r => r.Body["events"]!.AsArray()).Select(e => e!["data"]!["plantCode"]!.GetValue<string>()).Distinct().Count() == 2 ? "" : null),
            "publications of both plants to be pushed");
    }
}
