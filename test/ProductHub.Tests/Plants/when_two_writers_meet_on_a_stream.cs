using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Projections.ChangeOrders;
using ProductHub.Projections.Plants;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Plants;

/// <summary>
/// The write-side states are folded live, not read from a stored document, and still hold the version they were
/// read at: whoever saves second on a stale state is refused (the API answers 409) and none of it is stored.
/// </summary>
public sealed class when_two_writers_meet_on_a_stream(HubFixture fixture) : HubScenario(fixture)
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 6, 0);

    private IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task a_change_order_decided_on_twice_keeps_only_the_first_decision()
    {
        var key = ChangeOrderStreams.ChangeOrder("ECO-RACE");
        await Start(key, new ChangeOrderCreated("ECO-RACE", "standard", "race", [], new LocalDate(2026, 4, 1), "plm", Now));

        await Race<ChangeOrder>(key, order => new ChangeOrderCompensationStarted(order.Number, "cancelled: first", Now),
            order => new ChangeOrderCompensationStarted(order.Number, "cancelled: second", Now));

        await using var query = Store.QuerySession();
        (await query.LoadAsync<ChangeOrderView>(key))!.StateReason.ShouldBe("cancelled: first");
    }

    [Fact]
    public async Task a_plant_decided_on_twice_keeps_only_the_first_decision()
    {
        var key = PlantStreams.Plant("P-RACE");
        await Start(key, new PlantConfigured("P-RACE", "Plant", "erp-1", PlantRules.None, Now));

        await Race<Plant>(key, plant => new PartAssignedToPlant(plant.Code, "PN-FIRST", Now),
            plant => new PartAssignedToPlant(plant.Code, "PN-SECOND", Now));

        await using var query = Store.QuerySession();
        (await query.LoadAsync<PlantView>(key))!.Assignments.Select(a => a.PartNumber).ShouldBe(["PN-FIRST"]);
    }

    private async Task Start(string key, object first)
    {
        await using var session = Store.LightweightSession();
        session.Events.StartStream(key, first);
        await session.SaveChangesAsync();
    }

    private async Task Race<T>(string key, Func<T, object> first, Func<T, object> second) where T : class
    {
        await using var one = Store.LightweightSession();
        await using var other = Store.LightweightSession();
        var a = await one.Events.FetchForWriting<T>(key);
        var b = await other.Events.FetchForWriting<T>(key);
        a.AppendOne(first(a.Aggregate.ShouldNotBeNull()));
        b.AppendOne(second(b.Aggregate.ShouldNotBeNull()));

        await one.SaveChangesAsync();
        var refused = await Should.ThrowAsync<Exception>(() => other.SaveChangesAsync());
        WriteConflict.Is(refused).ShouldBeTrue(refused.ToString());
    }
}
