using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Faults;

/// <summary>
/// Poison from the outside: an ERP answering garbage, acknowledgements of deliveries that never were, status
/// events about parts nobody released. Each is recorded or refused, and the loops that met them keep going.
/// </summary>
public sealed class when_input_is_poisonous(HubFixture fixture, ITestOutputHelper output) : TestErpScenario(fixture)
{
    private static readonly (int Status, string Body)[] Garbage =
    [
        (200, "<html><body>Gateway says hi</body></html>"), (200, "{\"acknowledged\": \"yes\""), (200, "{\"acknowledged\": 1}"),
        (200, "\u0000\u0001\u0002\u00ff"), (500, new string('x', 100_000)), (200, "[" + new string('[', 10_000)),
    ];

    private string ConnectionString => EventStore.ConnectionStringOf(Host);

    [Fact]
    public async Task an_erp_answering_garbage_acknowledges_nothing_and_the_delivery_loop_keeps_running()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        (await Api.Send("PUT", "/api/v1/erp-instances/erp-test", new
        {
            channel = "http", http = new { url = Erp.Url, timeoutSeconds = 2 },
            retry = new { maxAttempts = 100, backoffSeconds = new[] { 0.2 } },
        })).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", Plant());
        Erp.Garbage = Garbage[0];
        await Api.Assign("P1", "HOUSING");
        foreach (var garbage in Garbage)
        {
            Erp.Garbage = garbage;
            var before = Erp.Requests.Count;
            await ResyncAsync();
            await Wait.Until(() => Task.FromResult(Erp.Requests.Count >= before + 3 ? "" : null),
                $"the ERP to answer {garbage.Body[..Math.Min(20, garbage.Body.Length)]}");
        }
        var meanwhile = (await Api.Get("/api/v1/deliveries?instance=erp-test")).Items;
        meanwhile.ShouldAllBe(d => d!["status"]!.GetValue<string>() != "acknowledged");
        Erp.Garbage = null;

        // Whatever the garbage did to them (awaiting a callback, failed and retrying), a resync now goes through.
        await ResyncAsync();
        var deliveries = await Wait.Until(async () =>
        {
            var all = (await Api.Get("/api/v1/deliveries?instance=erp-test")).Items;
            return all.Count == 3 && all.All(d => d!["status"]!.GetValue<string>() == "acknowledged") ? all : null;
        }, "every delivery to be acknowledged once the ERP answers sensibly", seconds: 60);

        output.WriteLine($"ERP garbage: {Erp.Requests.Count - Erp.Accepted.Count} garbage answers, {deliveries.Count} deliveries acknowledged after, " +
                         $"lost 0, duplicated {Erp.Applied.Count(a => a.Value > 1)}");
        Erp.Applied.Values.ShouldAllBe(times => times == 1);
    }

    /// <summary>
    /// The deliveries are retried every 0.2 s, so a resync may meet one of those writes (409): sent again, as any
    /// client does with a 409.
    /// </summary>
    private async Task ResyncAsync()
    {
        var answer = await Wait.Until(async () => await Api.Post("/api/v1/erp-instances/erp-test/resync", new { }) is { Status: not 409 } a ? a : null,
            "the resync to be accepted");
        answer.Status.ShouldBe(202);
    }

    [Fact]
    public async Task acknowledgements_and_status_events_about_nothing_known_are_refused_and_store_nothing()
    {
        (await Api.Settled(api => api.Release(Release()))).Status.ShouldBe(201);
        var before = await EventStore.FingerprintAsync(ConnectionString);

        var acks = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Api.Post($"/api/v1/deliveries/{Guid.NewGuid():N}/ack", new { reference = $"ERP-{i}" })));
        var reports = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Api.Post("/api/v1/status-events", new
        {
            eventId = $"X-{i}", type = "ProductionHoldPlaced", source = "mes", plant = "P1",
            partNumber = i % 2 == 0 ? $"GHOST-{i}" : "PUMP", revision = i % 2 == 0 ? "A" : "Z", occurredAt = "2026-03-02T06:15:00Z",
        })));

        output.WriteLine($"poison: {acks.Length} acks of unknown deliveries, {reports.Length} status events of unknown parts or revisions; " +
                         string.Join(", ", acks.Concat(reports).GroupBy(a => a.Status).Select(g => $"{g.Key}×{g.Count()}")));
        acks.ShouldAllBe(a => a.Status == 404);
        reports.ShouldAllBe(a => a.Status == 422);
        (await EventStore.FingerprintAsync(ConnectionString)).ShouldBe(before);
    }

    [Fact]
    public async Task a_garbage_file_in_the_status_drop_folder_is_set_aside_and_the_next_file_is_read()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        var folder = Directory.CreateDirectory(Path.Combine(DropFolder, "status-events")).FullName;

        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "a-garbage.json"), [0xFF, 0xFE, 0x00, 0x7B, 0x5B]);
            await File.WriteAllTextAsync(Path.Combine(folder, "b-ghost.json"), """
                [{"eventId":"F-1","type":"ProductionHoldPlaced","source":"mes","plant":"P1","partNumber":"GHOST","revision":"A","occurredAt":"2026-03-02T06:15:00Z"}]
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "c-good.json"), """
                [{"eventId":"F-2","type":"ProductionHoldPlaced","source":"mes","plant":"P1","partNumber":"PUMP","revision":"A","occurredAt":"2026-03-02T06:15:00Z"}]
                """);

            var hold = await Wait.Until(async () =>
                (await Api.Get("/api/v1/parts/PUMP/status")).Json["openHolds"]!.AsArray().FirstOrDefault(), "the good file to be read");
            hold!["eventId"]!.GetValue<string>().ShouldBe("F-2");
            var failed = Path.Combine(folder, "failed");
            await Wait.Until(() => Task.FromResult(Directory.Exists(failed) && Directory.GetFiles(failed, "*.errors.json")
                .Count(f => Path.GetFileName(f).StartsWith("a-garbage.") || Path.GetFileName(f).StartsWith("b-ghost.")) == 2 ? "" : null),
                "both bad files to be set aside with their errors");
        }
        finally
        {
            // The drop folder is the shared hub's: what this test set aside must not be read by the next one.
            foreach (var sub in new[] { "failed", "done" }.Select(s => Path.Combine(folder, s)).Where(Directory.Exists))
                Directory.Delete(sub, recursive: true);
        }
    }
}
