using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Erp;

/// <summary>The legacy route: one file per delivery in a drop folder, acknowledged by an ack file the hub watches.</summary>
public sealed class when_delivering_by_file(HubFixture fixture) : HubScenario(fixture), IAsyncLifetime
{
    private readonly string _folder = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "producthub-erp-" + Guid.NewGuid().ToString("N"))).FullName;

    private string Drop => Path.Combine(_folder, "out");
    private string Acks => Path.Combine(_folder, "ack");

    async Task IAsyncLifetime.InitializeAsync() => await InitializeAsync();

    Task IAsyncLifetime.DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private async Task PlantFeedsAFileErp(string format)
    {
        await Api.Release(Release());
        (await Api.Send("PUT", "/api/v1/erp-instances/erp-file",
            new { channel = "file", file = new { dropFolder = Drop, ackFolder = Acks, format } })).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-file" });
        await Api.Settled(api => api.Assign("P1", "HOUSING"));
    }

    [Fact]
    public async Task each_delivery_is_a_file_and_an_ack_file_acknowledges_it_once()
    {
        await PlantFeedsAFileErp("csv");
        var files = Directory.GetFiles(Drop, "*.csv");
        files.Length.ShouldBe(3);
        Directory.GetFiles(Drop, "*.tmp").ShouldBeEmpty();
        var housing = files.Select(File.ReadAllText).Single(text => text.Contains("ITEM,") && text.Contains(",HOUSING,A,"));
        housing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("BOM,")).ShouldBe(2);

        var key = Path.GetFileNameWithoutExtension(files[0]);
        // Written the ordinary way, not renamed into place: the hub must wait until the ERP has finished writing.
        await File.WriteAllTextAsync(Path.Combine(Acks, key + ".ack"), "SAP-4711");
        await File.WriteAllTextAsync(Path.Combine(Acks, "not-a-delivery.ack"), "?");

        var acknowledged = await Wait.Until(async () =>
        {
            var delivery = (await Api.Get("/api/v1/deliveries?instance=erp-file&status=acknowledged")).Items.SingleOrDefault();
            return delivery;
        }, "the ack file to be read");
        acknowledged!["idempotencyKey"]!.GetValue<string>().ShouldBe(key);
        acknowledged["reference"]!.GetValue<string>().ShouldBe("SAP-4711");
        await Wait.Until(() => Task.FromResult(Directory.Exists(Path.Combine(Acks, "unknown")) ? "" : null), "the unknown ack to be set aside");
        Directory.GetFiles(Path.Combine(Acks, "processed")).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData(null, "'=HYPERLINK(\"http://evil.example\",\"Click\")")]
    [InlineData(true, "'=HYPERLINK(\"http://evil.example\",\"Click\")")]
    [InlineData(false, "=HYPERLINK(\"http://evil.example\",\"Click\")")]
    public async Task a_description_that_starts_a_formula_reaches_the_csv_escaped_unless_the_instance_turns_that_off(bool? escapeFormulas, string cell)
    {
        (await Api.Release(new
        {
            packageId = "REL-LABEL", source = "plm-test", releasedAt = ReleasedAt,
            parts = new[] { new { partNumber = "LABEL", revision = "A", description = "=HYPERLINK(\"http://evil.example\",\"Click\")", unit = "EA",
                type = "buy", effectiveFrom = "2026-01-10" } },
        })).Status.ShouldBe(201);
        object file = escapeFormulas is { } escape
            ? new { dropFolder = Drop, ackFolder = Acks, format = "csv", escapeFormulas = escape }
            : new { dropFolder = Drop, ackFolder = Acks, format = "csv" };
        var instance = await Api.Send("PUT", "/api/v1/erp-instances/erp-file", new { channel = "file", file });
        instance.Status.ShouldBe(201, instance.ToString());
        instance.Json["file"]!["escapeFormulas"]!.GetValue<bool>().ShouldBe(escapeFormulas ?? true);
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-file" });
        await Api.Settled(api => api.Assign("P1", "LABEL"));

        var rows = await PythonCsv.ReadAsync(await File.ReadAllTextAsync(Directory.GetFiles(Drop, "*.csv").Single()));

        rows[1][rows[0].IndexOf("description")].ShouldBe(cell);
    }

    [Fact]
    public async Task an_instance_can_take_xml_instead()
    {
        await PlantFeedsAFileErp("xml");

        var xml = Directory.GetFiles(Drop, "*.xml").Select(File.ReadAllText).ToList();
        xml.Count.ShouldBe(3);
        xml.ShouldContain(x => x.Contains("<partNumber>HOUSING</partNumber>") && x.Contains("<component>BOLT</component>"));
    }
}
