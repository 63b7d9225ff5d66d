using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Faults;

/// <summary>
/// An ERP that refuses everything while new versions keep coming: once it is back, every part's latest version
/// arrives, each part's versions arrive in order, and nothing is dead-lettered before its retry limit.
/// </summary>
public sealed class when_the_erp_is_down_for_a_while(HubFixture fixture, ITestOutputHelper output) : TestErpScenario(fixture)
{
    private const int RefusalsBeforeRecovery = 40;

    [Fact]
    public async Task every_delivery_arrives_in_order_per_part_once_it_is_back()
    {
        Erp.AlwaysFail = true;
        (await Api.Release(Release())).Status.ShouldBe(201);
        (await Api.Send("PUT", "/api/v1/erp-instances/erp-test", new
        {
            channel = "http", http = new { url = Erp.Url, timeoutSeconds = 2 },
            retry = new { maxAttempts = 100, backoffSeconds = new[] { 0.2, 0.5 } },
        })).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", Plant());
        await Api.Assign("P1", "PUMP");
        // New versions of the top of the structure while the ERP is still down.
        await Wait.Until(() => Task.FromResult(Erp.Requests.Count >= RefusalsBeforeRecovery / 2 ? "" : null), "the first refusals");
        (await Api.Release(new
        {
            packageId = "REL-PUMP-B", source = "plm-test", releasedAt = "2026-02-01T08:00:00Z",
            parts = new object[]
            {
                new { partNumber = "PUMP", revision = "B", description = "PUMP", unit = "EA", type = "make", effectiveFrom = "2026-02-01",
                      bom = new[] { Line(10, "HOUSING", 1), Line(20, "IMPELLER", 2), Line(30, "SEALKIT", 1), Line(40, "TOOL", 1) } },
                new { partNumber = "HOUSING", revision = "B", description = "HOUSING", unit = "EA", type = "make", effectiveFrom = "2026-02-01",
                      bom = new[] { Line(10, "CASTING", 1), Line(20, "BOLT", 6) } },
            },
        })).Status.ShouldBe(201);
        await Wait.Until(() => Task.FromResult(Erp.Requests.Count >= RefusalsBeforeRecovery ? "" : null), "the ERP to refuse more");

        Erp.AlwaysFail = false;
        var deliveries = await Wait.Until(async () =>
        {
            var all = (await Api.Get("/api/v1/deliveries?instance=erp-test")).Items.Select(d => d!).ToList();
            return all.All(d => Status(d) is "acknowledged" or "superseded" or "deadLettered") ? all : null;
        }, "every delivery to settle", seconds: 90);

        var refused = Erp.Requests.Count - Erp.Accepted.Count;
        var lost = deliveries.Count(d => Status(d) is not ("acknowledged" or "superseded"));
        var duplicated = Erp.Applied.Count(a => a.Value > 1);
        output.WriteLine($"ERP outage: {refused} requests refused, {deliveries.Count} deliveries " +
                         $"({deliveries.Count(d => Status(d) == "acknowledged")} acknowledged, {deliveries.Count(d => Status(d) == "superseded")} superseded), " +
                         $"lost {lost}, duplicated {duplicated}");
        lost.ShouldBe(0);
        duplicated.ShouldBe(0);
        refused.ShouldBeGreaterThanOrEqualTo(RefusalsBeforeRecovery);
        var versionsByPart = Erp.Accepted.GroupBy(r => r.Body["item"]!["partNumber"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.Select(r => r.Body["version"]!.GetValue<int>()).ToList());
        versionsByPart.Values.ShouldAllBe(versions => versions.SequenceEqual(versions.Order()));
        foreach (var part in deliveries.Select(d => d["partNumber"]!.GetValue<string>()).Distinct())
            versionsByPart[part].Max().ShouldBe(LatestVersion(deliveries, part), part);
        versionsByPart["PUMP"].Max().ShouldBeGreaterThan(1);
    }

    private static string Status(JsonNode delivery) => delivery["status"]!.GetValue<string>();

    private static int LatestVersion(List<JsonNode> deliveries, string part) =>
        deliveries.Where(d => d["partNumber"]!.GetValue<string>() == part).Max(d => d["mbomVersion"]!.GetValue<int>());
}
