using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Erp.Delivering;
using ProductHub.Hub.Plants.Publishing;
using ProductHub.Tests.Support;
using Wolverine.Tracking;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Plants;

/// <summary>
/// Under load a plant's syncs are asked for faster than it runs them: those waiting run as one, and what each
/// publishes still says which release caused it.
/// </summary>
public sealed class when_syncs_wait_for_a_plant(HubFixture fixture) : TestErpScenario(fixture)
{
    private static readonly string[] Parts = ["WA", "WB", "WC"];

    [Fact]
    public async Task the_waiting_syncs_run_as_one_and_each_delivery_keeps_its_releases_cause_and_correlation()
    {
        await Api.Send("PUT", "/api/v1/erp-instances/erp-wait", new { channel = "http", http = new { url = Erp.Url, timeoutSeconds = 5 } });
        await Api.ConfigurePlant("W1", new { name = "Waiting", erpInstance = "erp-wait" });
        foreach (var part in Parts)
        {
            (await Api.Release(new { packageId = $"REL-{part}", source = "plm-test", releasedAt = ReleasedAt, parts = new[] { Buy(part, "DE") } }))
                .Status.ShouldBe(201);
        }
        // Given: the three parts assigned to W1 and a sync waiting for each, as the hub stores them when W1 is busy.
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        var now = SystemClock.Instance.GetCurrentInstant();
        await using (var session = store.LightweightSession())
        {
            session.Events.Append(PlantStreams.Plant("W1"), Parts.Select(p => (object)new PartAssignedToPlant("W1", p, now)).ToArray());
            foreach (var (part, i) in Parts.Select((p, i) => (p, i)))
                session.Store(new WaitingSync(Guid.CreateVersion7(), "W1", [part], $"release REL-{part}", $"ECO-{part}", now.PlusTicks(i)));
            await session.SaveChangesAsync();
        }

        var run = await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).InvokeMessageAndWaitAsync(new RunWaitingSyncs("W1"));

        run.Sent.Envelopes().Where(e => e.Message is DeliverToErp).Select(e => $"{((DeliverToErp)e.Message!).PartNumber} {e.CorrelationId}")
            .ShouldBe(["WA ECO-WA", "WB ECO-WB", "WC ECO-WC"], ignoreOrder: true);
        (await Api.PlantParts("W1")).Items.Select(p => $"{p!["partNumber"]} v{p["version"]}: {p["cause"]}")
            .ShouldBe(["WA v1: release REL-WA", "WB v1: release REL-WB", "WC v1: release REL-WC"], ignoreOrder: true);
        await Wait.Until(() => Task.FromResult(Erp.Accepted.Count == 3 ? Erp.Accepted : null), "the three deliveries");

        // The orders that were queued behind the first find nothing left to run.
        await using (var query = store.QuerySession())
            (await query.Query<WaitingSync>().CountAsync(w => w.PlantCode == "W1")).ShouldBe(0);
        var after = await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).InvokeMessageAndWaitAsync(new RunWaitingSyncs("W1"));
        after.Sent.AllMessages().ShouldBeEmpty();
        Erp.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task a_part_reached_by_several_waiting_syncs_is_published_once_for_the_newest()
    {
        await Api.ConfigurePlant("W2", new { name = "Waiting", erpInstance = "erp-none" });
        (await Api.Release(new { packageId = "REL-WA", source = "plm-test", releasedAt = ReleasedAt, parts = new[] { Buy("WA", "DE") } }))
            .Status.ShouldBe(201);
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        var now = SystemClock.Instance.GetCurrentInstant();
        await using (var session = store.LightweightSession())
        {
            session.Events.Append(PlantStreams.Plant("W2"), new PartAssignedToPlant("W2", "WA", now));
            session.Store(new WaitingSync(Guid.CreateVersion7(), "W2", ["WA"], "WA assigned", null, now));
            session.Store(new WaitingSync(Guid.CreateVersion7(), "W2", null, "plant configured", null, now.PlusTicks(1)));
            await session.SaveChangesAsync();
        }

        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).InvokeMessageAndWaitAsync(new RunWaitingSyncs("W2"));

        (await Api.PlantParts("W2")).Items.Select(p => $"{p!["partNumber"]} v{p["version"]}: {p["cause"]}")
            .ShouldBe(["WA v1: plant configured"]);
    }
}
