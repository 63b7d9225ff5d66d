using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Erp;

/// <summary>
/// An ERP that acknowledges one delivery many times at once (a callback retried by its gateway, an ack file written
/// beside it): exactly one acknowledgement is recorded, and every other caller is told it was a duplicate.
/// </summary>
public sealed class when_acknowledgements_race(HubFixture fixture, ITestOutputHelper output) : HubScenario(fixture), IAsyncLifetime
{
    private const int Callers = 10;

    private readonly string _folder = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "producthub-race-" + Guid.NewGuid().ToString("N"))).FullName;

    private string Acks => Path.Combine(_folder, "ack");

    async Task IAsyncLifetime.InitializeAsync() => await InitializeAsync();

    Task IAsyncLifetime.DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A file-channel ERP: its deliveries wait for an acknowledgement, by callback or ack file.</summary>
    private async Task<List<(string Id, string Key)>> DeliveriesAwaitingAcknowledgement()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        (await Api.Send("PUT", "/api/v1/erp-instances/erp-file",
            new { channel = "file", file = new { dropFolder = Path.Combine(_folder, "out"), ackFolder = Acks, format = "csv" } })).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-file" });
        await Api.Settled(api => api.Assign("P1", "HOUSING"));
        var sent = await Wait.Until(async () =>
        {
            var items = (await Api.Get("/api/v1/deliveries?instance=erp-file&status=sent")).Items;
            return items.Count == 3 ? items : null;
        }, "three deliveries sent");
        return sent.Select(d => (d!["deliveryId"]!.GetValue<string>(), d["idempotencyKey"]!.GetValue<string>())).ToList();
    }

    [Fact]
    public async Task ten_concurrent_callbacks_record_one_acknowledgement()
    {
        var deliveries = await DeliveriesAwaitingAcknowledgement();

        foreach (var (id, _) in deliveries)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
                Task.Run(() => Api.Post($"/api/v1/deliveries/{id}/ack", new { reference = $"SAP-{i}" }))));

            answers.ShouldAllBe(a => a.Status == 200);
            var firsts = answers.Count(a => !a.Json["duplicate"]!.GetValue<bool>());
            var events = await EventStore.CountAsync(EventStore.ConnectionStringOf(Host), "delivery_acknowledged", $"delivery/{id}");
            output.WriteLine($"ack race: {Callers} concurrent callbacks of delivery {id[..8]}: {firsts} × duplicate:false, " +
                             $"{Callers - firsts} × duplicate:true, {events} DeliveryAcknowledged stored");
            firsts.ShouldBe(1);
            events.ShouldBe(1);
            // Every caller sees the one reference that was recorded.
            answers.Select(a => a.Json["delivery"]!["reference"]!.GetValue<string>()).Distinct().ShouldHaveSingleItem();
        }
    }

    [Fact]
    public async Task an_ack_file_racing_callbacks_records_one_acknowledgement()
    {
        var (id, key) = (await DeliveriesAwaitingAcknowledgement())[0];

        await File.WriteAllTextAsync(Path.Combine(Acks, key + ".ack"), "SAP-FILE");
        // The watcher takes the file once it has settled: call back throughout that moment, so the two routes meet.
        var answers = new List<Answer>();
        var processed = Path.Combine(Acks, "processed");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(Directory.Exists(processed) && Directory.GetFiles(processed).Length > 0) && DateTime.UtcNow < deadline)
        {
            answers.AddRange(await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
                Task.Run(() => Api.Post($"/api/v1/deliveries/{id}/ack", new { reference = $"SAP-{i}" })))));
        }

        Directory.GetFiles(processed).ShouldHaveSingleItem();
        var events = await EventStore.CountAsync(EventStore.ConnectionStringOf(Host), "delivery_acknowledged", $"delivery/{id}");
        output.WriteLine($"ack race: ack file and {answers.Count} callbacks: " +
                         $"{answers.Count(a => !a.Json["duplicate"]!.GetValue<bool>())} callbacks × duplicate:false, {events} DeliveryAcknowledged stored");
        events.ShouldBe(1);
        answers.Count(a => !a.Json["duplicate"]!.GetValue<bool>()).ShouldBeLessThanOrEqualTo(1);
    }
}
