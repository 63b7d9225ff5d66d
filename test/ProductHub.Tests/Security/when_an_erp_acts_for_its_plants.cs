using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Security;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Security;

/// <summary>Plant scoping, who made each change, and ERP secrets kept out of answers and logs.</summary>
public sealed class when_an_erp_acts_for_its_plants(HubFixture fixture) : TestErpScenario(fixture)
{
    private const string ErpSecret = "Bearer erp-secret-7f3a9c";
    private static readonly string Pat = TestTokens.For("pat", [Roles.Plm]);
    private static readonly string Ada = TestTokens.For("ada", [Roles.Admin]);
    private static readonly string ErpOfP100 = TestTokens.For("erp-p100", [Roles.Erp], "P100");

    /// <summary>PLM (pat) releases the housing; the admin (ada) has both plants build it; the ERP confirms later by callback.</summary>
    private async Task BothPlantsBuildTheHousing()
    {
        Erp.Acknowledges = false;
        (await Api.As(Pat).Release(Release())).Status.ShouldBe(201);
        foreach (var plant in new[] { "P100", "P200" })
        {
            var instance = await Api.As(Ada).Send("PUT", $"/api/v1/erp-instances/erp-{plant.ToLowerInvariant()}", new
            {
                channel = "http", http = new { url = Erp.Url, authHeader = ErpSecret, timeoutSeconds = 1 },
                retry = new { maxAttempts = 3, backoffSeconds = new[] { 0.2 } },
            });
            instance.Status.ShouldBe(201, instance.ToString());
            await Api.As(Ada).ConfigurePlant(plant, new { name = plant, erpInstance = $"erp-{plant.ToLowerInvariant()}" });
            await Api.As(Ada).Settled(api => api.Assign(plant, "HOUSING"));
        }
        await Wait.Until(async () => (await Api.Get("/api/v1/deliveries?status=sent")).Items is { Count: 6 } sent ? sent : null,
            "six deliveries to wait for their callback");
    }

    private async Task<JsonNode> DeliveryOfTheHousing(string plant) =>
        (await Api.Get($"/api/v1/deliveries?plant={plant}&part=HOUSING")).Items.Single()!;

    [Fact]
    public async Task an_erp_acknowledges_only_its_own_plants_deliveries()
    {
        await BothPlantsBuildTheHousing();
        var p200 = (await DeliveryOfTheHousing("P200"))["deliveryId"]!.GetValue<string>();
        var p100 = (await DeliveryOfTheHousing("P100"))["deliveryId"]!.GetValue<string>();

        var refused = await Api.As(ErpOfP100).Post($"/api/v1/deliveries/{p200}/ack", new { reference = "SAP-1" });
        var accepted = await Api.As(ErpOfP100).Post($"/api/v1/deliveries/{p100}/ack", new { reference = "SAP-2" });

        refused.Status.ShouldBe(403, refused.ToString());
        (await DeliveryOfTheHousing("P200"))["status"]!.GetValue<string>().ShouldBe("sent");
        accepted.Status.ShouldBe(200, accepted.ToString());
        (await DeliveryOfTheHousing("P100"))["status"]!.GetValue<string>().ShouldBe("acknowledged");
    }

    [Fact]
    public async Task an_erp_reports_status_and_reads_plant_data_only_for_its_own_plants()
    {
        await BothPlantsBuildTheHousing();
        object Report(string id, string plant) => new
        {
            eventId = id, type = "ProductionHoldPlaced", source = "mes", plant, partNumber = "HOUSING", revision = "A",
            occurredAt = "2026-03-02T06:15:00Z", details = (object?)null,
        };

        (await Api.As(ErpOfP100).Post("/api/v1/status-events", Report("MES-2", "P200"))).Status.ShouldBe(403);
        (await Api.As(ErpOfP100).Post("/api/v1/status-events", Report("MES-1", "P100"))).Status.ShouldBe(201);
        (await Api.As(ErpOfP100).Get("/api/v1/plants/P200/parts")).Status.ShouldBe(403);
        (await Api.As(ErpOfP100).Get("/api/v1/plants/P100/parts")).Status.ShouldBe(200);
        var holds = (await Api.Get("/api/v1/parts/HOUSING/status")).Json["openHolds"]!.AsArray();
        holds.Select(h => h!["eventId"]!.GetValue<string>()).ShouldBe(["MES-1"]);
    }

    [Fact]
    public async Task every_change_records_who_made_it_also_in_what_it_set_off()
    {
        await BothPlantsBuildTheHousing();

        var history = (await Api.History("HOUSING")).Json["events"]!.AsArray();
        history.ShouldAllBe(e => e!["userName"]!.GetValue<string>() == "pat");
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var plantEvents = await session.Events.FetchStreamAsync(PlantStreams.Plant("P100"));
        plantEvents.ShouldAllBe(e => e.UserName == "ada");
        // The MBOM is published by a handler of the plant sync the assignment set off, after the request ended.
        var published = await session.Events.FetchStreamAsync(PlantStreams.Mbom("P100", "HOUSING"));
        published.ShouldNotBeEmpty();
        published.ShouldAllBe(e => e.UserName == "ada");
    }

    [Fact]
    public async Task erp_secrets_and_tokens_are_in_no_answer_and_no_log_line()
    {
        Erp.FailNext = 2;
        await BothPlantsBuildTheHousing();

        (await Api.As(Ada).Get("/api/v1/erp-instances/erp-p100")).Body!.ToJsonString().ShouldNotContain("erp-secret");
        (await Api.As(Ada).Get("/api/v1/erp-instances")).Body!.ToJsonString().ShouldNotContain("erp-secret");
        Erp.Requests.ShouldContain(r => r.Authorization == ErpSecret);
        Logs.Lines.ShouldNotBeEmpty();
        Logs.Lines.ShouldNotContain(l => l.Contains("erp-secret"));
        Logs.Lines.ShouldNotContain(l => l.Contains(Pat) || l.Contains(Ada) || l.Contains(TestTokens.Default));
    }
}
