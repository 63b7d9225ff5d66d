using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Webhooks;

/// <summary>
/// Two hubs on one database both run the webhook pump: each subscription has one owner at a time (its advisory
/// lock), so the subscriber gets every batch once, and no two batches cover the same positions.
/// </summary>
public sealed class when_two_hubs_pump_one_subscription(HubFixture fixture, ITestOutputHelper output) : HubScenario(fixture)
{
    private const int Releases = 15;

    [Fact]
    public async Task no_batch_is_pushed_twice_and_no_two_overlap()
    {
        await using var subscriber = await TestErp.StartAsync();
        // A slow subscriber keeps each round open long enough for the other hub to try the same subscription.
        subscriber.SlowBy = TimeSpan.FromMilliseconds(300);
        subscriber.SlowNext = int.MaxValue;
        var connectionString = await OwnDatabase.CreateAsync();
        await using var first = await OwnDatabase.HubAsync(connectionString);
        await using var second = await OwnDatabase.HubAsync(connectionString);
        var api = new HubApi(first);
        (await api.Send("PUT", "/api/v1/webhooks/mes", new { url = subscriber.Url, eventTypes = new[] { "RevisionReleased" } })).Status.ShouldBe(200);

        for (var i = 1; i <= Releases; i++)
        {
            (await new HubApi(i % 2 == 0 ? first : second).Release(Package($"REL-{i}", "2026-01-10T08:00:00Z", Part($"PN-{i}", "A", "2026-01-10"))))
                .Status.ShouldBe(201);
            await Task.Delay(100);
        }
        await Wait.Until(() => Task.FromResult(subscriber.Accepted.Sum(r => r.Body["events"]!.AsArray().Count) >= Releases ? "" : null),
            "every release to reach the subscriber", seconds: 60);

        var batches = subscriber.Requests.Select(r => (Key: r.IdempotencyKey, From: r.Body["from"]!.GetValue<long>(), To: r.Body["to"]!.GetValue<long>()))
            .OrderBy(b => b.From).ToList();
        output.WriteLine($"{batches.Count} batches: {string.Join(", ", batches.Select(b => b.Key))}");
        batches.Select(b => b.Key).ShouldBeUnique();
        batches.Zip(batches.Skip(1)).ShouldAllBe(pair => pair.First.To < pair.Second.From);
        subscriber.Accepted.SelectMany(r => r.Body["events"]!.AsArray()).Select(e => e!["stream"]!.GetValue<string>())
            .Order().ShouldBe(Enumerable.Range(1, Releases).Select(i => $"PN-{i}").Order());
    }
}
