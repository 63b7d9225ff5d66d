using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Webhooks;

/// <summary>Downstream systems get canonical changes pushed, in order, with the ERP adapters' delivery guarantees.</summary>
public sealed class when_a_system_subscribes_by_webhook(HubFixture fixture) : TestErpScenario(fixture)
{
    // The receiving end is the same loopback stand-in the ERP scenarios use.
    private TestErp Subscriber => Erp;

    private List<JsonNode> Received() => Subscriber.Accepted
        .Where(r => r.Body["events"] is not null)
        .SelectMany(r => r.Body["events"]!.AsArray().Select(e => e!)).ToList();

    private Task Subscribe(int maxAttempts = 3) => Api.Send("PUT", "/api/v1/webhooks/mes", new
    {
        url = Subscriber.Url, authHeader = "Bearer hook", eventTypes = new[] { "RevisionReleased" },
        retry = new { maxAttempts, backoffSeconds = new[] { 0.2 } },
    });

    [Fact]
    public async Task changes_of_the_subscribed_types_arrive_in_order()
    {
        await Subscribe();

        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")));
        await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z", Part("PN-1", "B", "2026-02-10")));

        var received = await Wait.Until(() => Task.FromResult(Received().Count == 2 ? Received() : null), "both releases to arrive");
        received.Select(e => e["type"]!.GetValue<string>()).ShouldBe(["RevisionReleased", "RevisionReleased"]);
        received.Select(e => e["data"]!["revision"]!.GetValue<string>()).ShouldBe(["A", "B"]);
        received[0]["position"]!.GetValue<long>().ShouldBeLessThan(received[1]["position"]!.GetValue<long>());
        Subscriber.Requests.ShouldAllBe(r => r.Authorization == "Bearer hook" && r.IdempotencyKey.StartsWith("mes:"));
        (await Api.Get("/api/v1/webhooks/mes")).Json.ToJsonString().ShouldNotContain("Bearer hook");
    }

    /// <summary>PN-1's release, refused by the subscriber until its batch is dead-lettered; the subscriber takes batches again after.</summary>
    private async Task<JsonNode> DeadLetteredRelease(int maxAttempts)
    {
        Subscriber.AlwaysFail = true;
        await Subscribe(maxAttempts);
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")));
        var dead = await Wait.Until(async () =>
            (await Api.Get("/api/v1/webhooks/mes")).Json["deadLetters"]!.AsArray().FirstOrDefault(), "the batch to be dead-lettered");
        Subscriber.AlwaysFail = false;
        return dead!;
    }

    private Task<Answer> Replay(JsonNode dead) => Api.Post("/api/v1/webhooks/mes/replay",
        new { from = dead["fromPosition"]!.GetValue<long>(), to = dead["toPosition"]!.GetValue<long>() });

    private Task Arrives(string stream, string what) =>
        Wait.Until(() => Task.FromResult(Received().Any(e => e["stream"]!.GetValue<string>() == stream) ? "" : null), what);

    [Fact]
    public async Task a_batch_the_subscriber_refuses_is_dead_lettered_the_subscription_goes_on_and_a_replay_sends_it()
    {
        var dead = await DeadLetteredRelease(maxAttempts: 2);
        await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z", Part("PN-2", "A", "2026-02-10")));
        await Arrives("PN-2", "the subscription to go on");
        Received().ShouldNotContain(e => e["stream"]!.GetValue<string>() == "PN-1");

        var replay = await Replay(dead);

        replay.Status.ShouldBe(202, replay.ToString());
        await Arrives("PN-1", "the replay");
        (await Api.Get("/api/v1/webhooks/mes")).Json["deadLetters"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task a_replay_requested_while_the_pump_is_sending_is_sent()
    {
        var dead = await DeadLetteredRelease(maxAttempts: 1);
        var gate = Subscriber.HoldAnswers();
        await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z", Part("PN-2", "A", "2026-02-10")));
        await Wait.Until(() => Task.FromResult(Subscriber.Open == 1 ? "" : null), "the pump to be sending PN-2's batch");

        var replay = await Replay(dead);
        gate.SetResult();

        replay.Status.ShouldBe(202, replay.ToString());
        await Arrives("PN-1", "the replay requested while the pump was sending");
        Received().Select(e => e["stream"]!.GetValue<string>()).ShouldBe(["PN-2", "PN-1"]);
    }

    [Fact]
    public async Task a_batch_sent_again_after_a_failure_is_the_same_batch_under_the_same_key_though_more_came_since()
    {
        await Subscribe(maxAttempts: 5);
        var gate = Subscriber.HoldAnswers();
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-1", "A", "2026-01-10")));
        await Wait.Until(() => Task.FromResult(Subscriber.Open == 1 ? "" : null), "the pump to be sending PN-1's batch");
        await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z", Part("PN-2", "A", "2026-02-10")));
        Subscriber.FailNext = 1;
        gate.SetResult();

        await Arrives("PN-2", "the batch after the one sent again");
        var keys = Subscriber.Requests.Select(r => r.IdempotencyKey).ToList();
        keys[1].ShouldBe(keys[0]);
        var ranges = keys.Distinct().Select(k => k[(k.IndexOf(':') + 1)..].Split('-').Select(long.Parse).ToArray()).ToList();
        ranges.Zip(ranges.Skip(1)).ShouldAllBe(pair => pair.Second[0] == pair.First[1] + 1);
        Received().Select(e => e["stream"]!.GetValue<string>()).ShouldBe(["PN-1", "PN-2"]);
    }

    [Fact]
    public async Task a_bad_subscription_names_the_field() =>
        (await Api.Send("PUT", "/api/v1/webhooks/mes", new { url = "ftp://nope" })).ErrorFields.ShouldContain("$.url");

    [Fact]
    public async Task a_subscription_to_a_type_the_feed_does_not_carry_is_refused()
    {
        var answer = await Api.Send("PUT", "/api/v1/webhooks/mes", new { url = Subscriber.Url, eventTypes = new[] { "RevisionReleased", "ErpInstanceConfigured" } });

        answer.ErrorFields.ShouldBe(["$.eventTypes[1]"]);
        (await Api.Get("/api/v1/webhooks/mes")).Status.ShouldBe(404);
    }
}

/// <summary>Each subscription is pumped on its own: one whose subscriber never answers holds up no other.</summary>
public sealed class when_a_subscriber_never_answers(HubFixture fixture, ITestOutputHelper output) : TestErpScenario(fixture)
{
    [Fact]
    public async Task the_other_subscriptions_go_on_while_its_send_waits()
    {
        await using var silent = await TestErp.StartAsync();
        silent.Silent = true;
        foreach (var (name, url) in new[] { ("silent", silent.Url), ("fast", Erp.Url) })
            (await Api.Send("PUT", $"/api/v1/webhooks/{name}", new { url, eventTypes = new[] { "RevisionReleased" } })).Status.ShouldBe(200);

        var took = new List<TimeSpan>();
        foreach (var (revision, at) in new[] { ("A", "2026-01-10"), ("B", "2026-02-10"), ("C", "2026-03-10") })
        {
            var sent = System.Diagnostics.Stopwatch.StartNew();
            await Api.Release(Package($"REL-{revision}", $"{at}T08:00:00Z", Part("PN-1", revision, at)));
            await Wait.Until(() => Task.FromResult(Erp.Accepted.Any(r => r.Body["events"]!.AsArray().Any(e => e!["data"]!["revision"]!.GetValue<string>() == revision)) ? "" : null),
                $"revision {revision} to reach the fast subscriber");
            took.Add(sent.Elapsed);
        }

        output.WriteLine($"release to fast subscriber beside a silent one: {string.Join(", ", took.Select(t => $"{t.TotalSeconds:0.00} s"))}");
        // The silent subscriber still holds its first request: its send has neither been answered nor timed out.
        silent.Open.ShouldBe(1);
        silent.Requests.Count.ShouldBe(1);
    }
}

/// <summary>Status events go back to PLM through a PLM adapter: a subscription to the status event types, here the file route.</summary>
public sealed class when_status_is_forwarded_to_plm(HubFixture fixture) : HubScenario(fixture)
{
    private static readonly string[] StatusTypes =
        ["FirstArticleCompleted", "SupplierNonconformanceRaised", "ProductionHoldPlaced", "ProductionHoldReleased", "InventoryShortageReported", "CostThresholdBreached"];

    [Fact]
    public async Task each_status_event_is_written_for_plm_and_a_time_range_can_be_sent_again()
    {
        var folder = Path.Combine(Path.GetTempPath(), "producthub-plm-" + Guid.NewGuid().ToString("N"));
        try
        {
            await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z", Part("PN-100", "B", "2026-01-10")));
            (await Api.Send("PUT", "/api/v1/webhooks/plm", new { dropFolder = folder, eventTypes = StatusTypes })).Status.ShouldBe(200);
            var before = DateTimeOffset.UtcNow.AddSeconds(-1);
            await Api.Post("/api/v1/status-events", new { eventId = "QMS-1", type = "SupplierNonconformanceRaised", source = "qms",
                plant = "P100", partNumber = "PN-100", revision = "B", occurredAt = "2026-03-02T06:15:00Z" });

            var first = await Wait.Until(() => Task.FromResult(Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").FirstOrDefault() : null),
                "the status event to be written for PLM");
            var batch = JsonNode.Parse(await File.ReadAllTextAsync(first))!;
            batch["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["SupplierNonconformanceRaised"]);
            batch["events"]![0]!["data"]!["eventId"]!.GetValue<string>().ShouldBe("QMS-1");

            var replay = await Api.Post("/api/v1/webhooks/plm/replay", new { fromTime = before.ToString("yyyy-MM-ddTHH:mm:ss.fffZ") });

            replay.Status.ShouldBe(202, replay.ToString());
            await Wait.Until(() => Task.FromResult(Directory.GetFiles(folder, "*.json").Length >= 2 ? "" : null), "the replay");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
