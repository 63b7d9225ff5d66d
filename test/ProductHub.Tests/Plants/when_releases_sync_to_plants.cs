using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Tests.Support;
using Wolverine.Tracking;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Plants;

/// <summary>Pattern 1: data moves to a plant when PLM releases, and only when it is complete for that plant.</summary>
public sealed class when_releases_sync_to_plants(HubFixture fixture) : HubScenario(fixture)
{
    private static readonly object CountryOfOriginOnBuyParts = new
    {
        mandatoryAttributes = new[] { new { appliesTo = "buy", attribute = "compliance.countryOfOrigin" } },
    };

    private async Task TwoPlantsBuildThePump()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", Plant());
        await Api.ConfigurePlant("P2", Plant(CountryOfOriginOnBuyParts));
        (await Api.Settled(api => api.Assign("P1", "PUMP"))).Status.ShouldBe(201);
        (await Api.Settled(api => api.Assign("P2", "PUMP"))).Status.ShouldBe(201);
    }

    private async Task<Dictionary<string, int>> Versions(string plant) =>
        (await Api.PlantParts(plant)).Items.ToDictionary(
            p => p!["partNumber"]!.GetValue<string>(), p => p!["version"]!.GetValue<int>());

    private async Task<List<System.Text.Json.Nodes.JsonNode>> OpenExceptions(string plant) =>
        (await Api.Exceptions($"plant={plant}&status=open")).Items.Select(e => e!).ToList();

    [Fact]
    public async Task an_incomplete_plant_gets_an_exception_naming_the_field_and_the_other_plant_is_not_held_back()
    {
        await TwoPlantsBuildThePump();

        (await Versions("P1")).Keys.ShouldBe(
            ["BOLT", "CASTING", "GREASE", "HOUSING", "IMPELLER", "ORING", "PUMP", "SEALKIT", "TOOL"], ignoreOrder: true);
        (await Versions("P2")).Keys.ShouldBe(["CASTING", "GREASE", "IMPELLER", "ORING", "SEALKIT", "TOOL"], ignoreOrder: true);

        // BOLT lacks the field; what is built from it waits too, since the ERP could not take it without BOLT.
        var exceptions = (await OpenExceptions("P2")).ToDictionary(e => e["partNumber"]!.GetValue<string>());
        exceptions.Keys.ShouldBe(["BOLT", "HOUSING", "PUMP"], ignoreOrder: true);
        var bolt = exceptions["BOLT"];
        bolt["revision"]!.GetValue<string>().ShouldBe("A");
        bolt["checks"]![0]!["field"]!.GetValue<string>().ShouldBe("compliance.countryOfOrigin");
        bolt["attempts"]!.GetValue<int>().ShouldBe(1);
        exceptions["HOUSING"]["checks"]![0]!["field"]!.GetValue<string>().ShouldBe("bom[findNumber=20].partNumber");
        exceptions["PUMP"]["checks"]![0]!["field"]!.GetValue<string>().ShouldBe("bom[findNumber=10].partNumber");
        (await OpenExceptions("P1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_release_asks_only_the_plants_whose_structure_it_touches_to_sync()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        (await Api.Release(new
        {
            packageId = "REL-VALVE", source = "plm-test", releasedAt = ReleasedAt,
            parts = new[] { Make("VALVE", Line(10, "SPRING", 1)), Buy("SPRING", "DE") },
        })).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", Plant());
        await Api.ConfigurePlant("P2", Plant());
        await Api.ConfigurePlant("P3", Plant(new { substitutions = new[] { new { partNumber = "SPRING", substitute = "BOLT" } } }));
        await Api.Settled(api => api.Assign("P1", "PUMP"));
        await Api.Settled(api => api.Assign("P2", "VALVE"));
        await Api.Settled(api => api.Assign("P3", "VALVE"));

        // BOLT is below PUMP (P1) and substitutes SPRING in P3; P2's valve has nothing to do with it.
        var tracked = await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync(
            (Func<Wolverine.IMessageContext, Task>)(_ => Api.Release(new
            {
                packageId = "REL-BOLT-B", source = "plm-test", releasedAt = "2026-02-01T08:00:00Z", parts = new[] { Buy("BOLT", "DE", "B") },
            })));

        tracked.Sent.MessagesOf<ProductHub.Hub.Plants.Publishing.RunWaitingSyncs>().Select(m => m.PlantCode).ShouldBe(["P1", "P3"], ignoreOrder: true);
        (await Api.Published("P3", "BOLT")).Json["revision"]!.GetValue<string>().ShouldBe("B");
    }

    [Fact]
    public async Task a_release_that_fixes_the_data_publishes_and_resolves_the_exception()
    {
        await TwoPlantsBuildThePump();

        var fix = await Api.Settled(api => api.Release(new
        {
            packageId = "REL-FIX", source = "plm-test", releasedAt = "2026-02-10T08:00:00Z",
            parts = new[] { Buy("BOLT", "DE", revision: "B") },
        }));

        fix.Status.ShouldBe(201, fix.ToString());
        (await OpenExceptions("P2")).ShouldBeEmpty();
        var resolved = (await Api.Exceptions("plant=P2&status=resolved&part=BOLT")).Items.ShouldHaveSingleItem()!;
        resolved["resolution"]!.GetValue<string>().ShouldContain("version 1");
        (await Api.Exceptions("plant=P2&status=resolved")).Items.Count.ShouldBe(3);
        var p2 = await Versions("P2");
        (p2["BOLT"], p2["HOUSING"], p2["PUMP"]).ShouldBe((1, 1, 1));
        (await Versions("P1"))["BOLT"].ShouldBe(2);
        (await Api.Published("P1", "BOLT")).Json["revision"]!.GetValue<string>().ShouldBe("B");
    }

    [Fact]
    public async Task a_new_revision_publishes_a_new_version_and_an_unchanged_recompute_publishes_nothing()
    {
        await TwoPlantsBuildThePump();

        await Api.Settled(api => api.Release(new
        {
            packageId = "REL-2", source = "plm-test", releasedAt = "2026-02-10T08:00:00Z",
            parts = new[] { new { partNumber = "HOUSING", revision = "B", description = "HOUSING", unit = "EA", type = "make",
                effectiveFrom = "2026-02-10", bom = new[] { Line(10, "CASTING", 1), Line(20, "BOLT", 6) } } },
        }));
        await Api.Settled(api => api.ConfigurePlant("P1", Plant(name: "Plant, renamed")));

        var versions = await Versions("P1");
        versions["HOUSING"].ShouldBe(2);
        versions["PUMP"].ShouldBe(1);
        versions["CASTING"].ShouldBe(1);
        (await Api.Published("P1", "HOUSING")).Json["lines"]![1]!["quantity"]!.GetValue<decimal>().ShouldBe(6m);
    }

    [Fact]
    public async Task a_retry_with_the_data_still_incomplete_counts_another_attempt()
    {
        await TwoPlantsBuildThePump();
        var id = (await OpenExceptions("P2")).Single(e => e["partNumber"]!.GetValue<string>() == "BOLT")["exceptionId"]!.GetValue<string>();

        var retried = await Api.Post($"/api/v1/exceptions/{id}/retry", new { });

        retried.Status.ShouldBe(200, retried.ToString());
        retried.Json["status"]!.GetValue<string>().ShouldBe("open");
        retried.Json["attempts"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task a_retry_after_a_fix_the_hub_did_not_see_coming_publishes()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        await Api.ConfigurePlant("P3", Plant(new
        {
            mandatoryAttributes = new[] { new { appliesTo = "buy", attribute = "referenceData.standardCost" } },
        }));
        await Api.Settled(api => api.Assign("P3", "HOUSING"));
        var open = await OpenExceptions("P3");
        open.Select(e => e["partNumber"]!.GetValue<string>()).ShouldBe(["BOLT", "CASTING", "HOUSING"], ignoreOrder: true);

        // The ERP's costs land in the plant's stream by a route that requests no sync (a direct load, say).
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Events.Append("plant/P3", new ReferenceDataLoaded("P3", "direct",
                [new ReferenceDataItem("CASTING", 12.5m, "EUR", null, null, null)], SystemClock.Instance.GetCurrentInstant()));
            await session.SaveChangesAsync();
        }
        var casting = open.Single(e => e["partNumber"]!.GetValue<string>() == "CASTING")["exceptionId"]!.GetValue<string>();

        var retried = await Api.Post($"/api/v1/exceptions/{casting}/retry", new { });

        retried.Json["status"]!.GetValue<string>().ShouldBe("resolved", retried.ToString());
        (await Api.Published("P3", "CASTING")).Json["item"]!["referenceData"]!["standardCost"]!.GetValue<decimal>().ShouldBe(12.5m);
        (await OpenExceptions("P3")).Select(e => e["partNumber"]!.GetValue<string>()).ShouldBe(["BOLT", "HOUSING"], ignoreOrder: true);
    }

    [Fact]
    public async Task a_dismissal_needs_a_reason_and_closes_the_exception()
    {
        await TwoPlantsBuildThePump();
        var id = (await OpenExceptions("P2")).Single(e => e["partNumber"]!.GetValue<string>() == "BOLT")["exceptionId"]!.GetValue<string>();

        var noReason = await Api.Post($"/api/v1/exceptions/{id}/dismiss", new { });
        var dismissed = await Api.Post($"/api/v1/exceptions/{id}/dismiss", new { reason = "BOLT is free-issue material in P2" });
        var again = await Api.Post($"/api/v1/exceptions/{id}/dismiss", new { reason = "twice" });

        noReason.Status.ShouldBe(400);
        noReason.ErrorFields.ShouldBe(["$.reason"]);
        dismissed.Json["status"]!.GetValue<string>().ShouldBe("dismissed");
        dismissed.Json["resolution"]!.GetValue<string>().ShouldBe("BOLT is free-issue material in P2");
        again.Status.ShouldBe(409);
        (await Api.Post("/api/v1/exceptions/EX-NOPE/retry", new { })).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_rule_change_recomputes_the_plant()
    {
        await TwoPlantsBuildThePump();

        await Api.Settled(api => api.ConfigurePlant("P1", Plant(new { phantoms = new[] { "SEALKIT" } })));

        var versions = await Versions("P1");
        versions["PUMP"].ShouldBe(2);
        versions["HOUSING"].ShouldBe(1);
        var pump = (await Api.Published("P1", "PUMP")).Json;
        pump["version"]!.GetValue<int>().ShouldBe(2);
        pump["lines"]!.AsArray().Select(l => l!["partNumber"]!.GetValue<string>()).ShouldContain("ORING");
        pump["contentHash"]!.GetValue<string>().Length.ShouldBe(64);
    }
}
