using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Domain.Status;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Status;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Feed;

/// <summary>
/// Events stored before intake refused them (or left by a damaged database) must not stop any reader: the change
/// feed, part histories, webhooks and projections serve every other event, and the bad one is withheld at its
/// position with the reason, recorded for admins. Every answer here is parsed with System.Text.Json's default depth
/// limit of 64, as a client would.
/// </summary>
public sealed class when_stored_events_are_hostile(HubFixture fixture) : TestErpScenario(fixture)
{
    private static string Status(string eventId, string details) => HostileEvents.StatusData(eventId, "PN-100", "B", "P100", details);

    private async Task<long> ReleasedPartWithSubscriber()
    {
        await Api.Send("PUT", "/api/v1/webhooks/mes", new { url = Erp.Url, start = "beginning" });
        (await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-100", "B", "2026-01-10")))).Status.ShouldBe(201);
        return (await Api.Get("/api/v1/feed/head")).Json["position"]!.GetValue<long>();
    }

    /// <summary>Afterwards a reader still gets what was written through the API: a status event and another release.</summary>
    private async Task WriteOnThroughTheApi()
    {
        (await Api.Post("/api/v1/status-events", new
        {
            eventId = "E-AFTER", type = "ProductionHoldPlaced", source = "mes", plant = "P100", partNumber = "PN-100", revision = "B",
            occurredAt = "2026-03-02T06:15:00Z",
        })).Status.ShouldBe(201);
        (await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z", Part("PN-100", "C", "2026-02-10")))).Status.ShouldBe(201);
    }

    private List<JsonNode> Pushed() => Erp.Accepted.SelectMany(r => r.Body["events"]!.AsArray().Select(e => e!)).ToList();

    private static bool ReleasesC(JsonNode e) => e["type"]!.GetValue<string>() == "RevisionReleased" && e["data"]!["revision"]!.GetValue<string>() == "C";

    private static JsonNode At(JsonNode page, long position) =>
        page["events"]!.AsArray().Single(e => e!["position"]!.GetValue<long>() == position)!;

    [Theory]
    [InlineData(62)]
    [InlineData(500)]
    public async Task an_event_nested_too_deep_is_withheld_at_its_position_and_every_reader_goes_on(int levels)
    {
        await ReleasedPartWithSubscriber();
        var bad = await HostileEvents.AppendRawAsync<FirstArticleCompleted>(Host, "PN-100", Status("E-DEEP", HostileEvents.Nested(levels)));
        await WriteOnThroughTheApi();

        var history = await Api.History("PN-100");
        history.Status.ShouldBe(200);
        var entries = history.Json["events"]!.AsArray();
        var withheld = entries.Single(e => e!["sequence"]!.GetValue<long>() == bad)!;
        withheld["type"]!.GetValue<string>().ShouldBe("EventWithheld");
        withheld["data"]!["eventType"]!.GetValue<string>().ShouldBe("FirstArticleCompleted");
        withheld["data"]!["reason"]!.GetValue<string>().ShouldBe("nested deeper than 48 levels");
        entries.Select(e => e!["type"]!.GetValue<string>()).ShouldContain("ProductionHoldPlaced");
        entries.ShouldContain(e => ReleasesC(e!));

        var page = await Api.Get($"/api/v1/feed?after={bad - 1}&limit=2");
        page.Status.ShouldBe(200);
        page.Json["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["EventWithheld", "ProductionHoldPlaced"]);
        var whole = await Api.Get("/api/v1/feed?after=0&limit=1000");
        whole.Status.ShouldBe(200);
        At(whole.Json, bad)["type"]!.GetValue<string>().ShouldBe("EventWithheld");

        await Wait.Until(() => Task.FromResult(Pushed().Any(ReleasesC) ? "" : null),
            "the webhook to push on past the withheld event");
        Pushed().Single(e => e["position"]!.GetValue<long>() == bad)["type"]!.GetValue<string>().ShouldBe("EventWithheld");
        (await Api.Get("/api/v1/webhooks/mes")).Json["deadLetters"]!.AsArray().ShouldBeEmpty();

        var recorded = (await Api.Get("/api/v1/feed/withheld")).Items.ShouldHaveSingleItem()!;
        recorded["id"]!.GetValue<long>().ShouldBe(bad);
        recorded["stream"]!.GetValue<string>().ShouldBe("PN-100");
        recorded["type"]!.GetValue<string>().ShouldBe("FirstArticleCompleted");
        (await Api.Get("/api/v1/ops/summary")).Json["backlog"]!["withheldEvents"]!.GetValue<long>().ShouldBe(1);
        (await Api.Get("/api/v1/parts/PN-100/status")).Json["openHolds"]!.AsArray().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task a_huge_event_is_served_in_a_page_of_its_own_and_one_over_the_limit_is_withheld()
    {
        var head = await ReleasedPartWithSubscriber();
        var huge = await HostileEvents.AppendRawAsync<SupplierNonconformanceRaised>(Host, "PN-100",
            Status("E-HUGE", $$"""{"note":"{{new string('x', 5_000_000)}}"}"""));
        var tooLarge = await HostileEvents.AppendRawAsync<SupplierNonconformanceRaised>(Host, "PN-100",
            Status("E-TOO-LARGE", $$"""{"note":"{{new string('y', 17_000_000)}}"}"""));
        await WriteOnThroughTheApi();

        var before = (await Api.Get($"/api/v1/feed?after={head - 1}&limit=1000")).Json;
        before["next"]!.GetValue<long>().ShouldBe(head);
        var alone = (await Api.Get($"/api/v1/feed?after={head}&limit=1000")).Json;
        alone["events"]!.AsArray().ShouldHaveSingleItem()!["data"]!["details"]!["note"]!.GetValue<string>().Length.ShouldBe(5_000_000);
        var rest = (await Api.Get($"/api/v1/feed?after={huge}&limit=1000")).Json;
        At(rest, tooLarge)["data"]!["reason"]!.GetValue<string>().ShouldBe("larger than 16 MiB");
        rest["events"]!.AsArray().ShouldContain(e => ReleasesC(e!));

        (await Api.History("PN-100")).Status.ShouldBe(200);
        await Wait.Until(() => Task.FromResult(Pushed().Any(ReleasesC) ? "" : null),
            "the webhook to push on past the huge events");
        Pushed().Single(e => e["position"]!.GetValue<long>() == tooLarge)["type"]!.GetValue<string>().ShouldBe("EventWithheld");
    }

    [Fact]
    public async Task an_event_that_cannot_be_read_as_its_type_is_withheld_with_the_reason()
    {
        await ReleasedPartWithSubscriber();
        var bad = await HostileEvents.AppendRawAsync<InventoryShortageReported>(Host, "PN-100",
            Status("E-BROKEN", "{}").Replace("\"2026-03-02T06:15:00Z\"", "12"));

        var history = await Api.History("PN-100");

        history.Status.ShouldBe(200);
        var reason = history.Json["events"]!.AsArray().Single(e => e!["sequence"]!.GetValue<long>() == bad)!["data"]!["reason"]!.GetValue<string>();
        reason.ShouldStartWith("cannot be read as InventoryShortageReported");
        (await Api.Get("/api/v1/feed?after=0")).Status.ShouldBe(200);
    }

    [Theory]
    [InlineData(62)]
    [InlineData(500)]
    public async Task projections_rebuilt_over_hostile_events_keep_every_other_event(int levels)
    {
        await ReleasedPartWithSubscriber();
        await HostileEvents.AppendRawAsync<FirstArticleCompleted>(Host, "PN-100", Status("E-DEEP", HostileEvents.Nested(levels)));
        await WriteOnThroughTheApi();
        // Last: Marten reads a part's whole stream to decide a release, and this one it cannot read at all.
        await HostileEvents.AppendRawAsync<InventoryShortageReported>(Host, "PN-100",
            Status("E-BROKEN", "{}").Replace("\"2026-03-02T06:15:00Z\"", "12"));

        var store = Host.Services.GetRequiredService<IDocumentStore>();
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<OperationalStatusView>(TimeSpan.FromMinutes(1), CancellationToken.None);
            await daemon.RebuildProjectionAsync<PartView>(TimeSpan.FromMinutes(1), CancellationToken.None);
        }

        var status = await Api.Get("/api/v1/parts/PN-100/status");
        status.Status.ShouldBe(200);
        status.Json["openHolds"]!.AsArray().ShouldHaveSingleItem()!["eventId"]!.GetValue<string>().ShouldBe("E-AFTER");
        status.Json["firstArticles"]!.AsArray().ShouldHaveSingleItem()!["details"]!["withheld"]!.GetValue<string>()
            .ShouldBe("nested deeper than 48 levels");
        (await Api.Part("PN-100")).Json["currentRevision"]!.GetValue<string>().ShouldBe("C");
    }
}
