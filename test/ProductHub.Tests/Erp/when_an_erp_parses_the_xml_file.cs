using System.Diagnostics;
using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Erp;

/// <summary>
/// What an ERP taking XML files receives, read the way the ERP would: by a strict, independent XML parser (Python's
/// expat), which refuses a file whose declaration names another encoding than its bytes are in.
/// </summary>
public sealed class when_an_erp_parses_the_xml_file(HubFixture fixture) : HubScenario(fixture), IAsyncLifetime
{
    private const string Hostile = "Seal <kit> & \"gasket\" 'O-ring' ]]> ü 漢字 𝔘";

    // Prints, per file: its first bytes, the root, and the texts an ERP would import.
    private const string Reader = """
        import json, sys, xml.etree.ElementTree as ET
        files = []
        for path in sys.argv[1:]:
            with open(path, 'rb') as f:
                head = f.read(60)
            root = ET.parse(path).getroot()
            files.append({'head': head.decode('ascii', 'replace'), 'root': root.tag, 'key': root.get('idempotencyKey'),
                          'partNumber': root.findtext('item/partNumber'), 'description': root.findtext('item/description'),
                          'components': [line.findtext('component') for line in root.iter('line')]})
        print(json.dumps(files))
        """;

    private readonly string _folder = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "producthub-xml-" + Guid.NewGuid().ToString("N"))).FullName;

    async Task IAsyncLifetime.InitializeAsync() => await InitializeAsync();

    Task IAsyncLifetime.DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task every_file_parses_strictly_and_says_what_was_released()
    {
        var drop = Path.Combine(_folder, "out");
        (await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("ASSY", "A", "2026-02-10", Line(10, "SEAL", 2)),
            new { partNumber = "SEAL", revision = "A", description = Hostile, unit = "EA", type = "buy", effectiveFrom = "2026-02-10" })))
            .Status.ShouldBe(201);
        (await Api.Send("PUT", "/api/v1/erp-instances/erp-xml",
            new { channel = "file", file = new { dropFolder = drop, ackFolder = Path.Combine(_folder, "ack"), format = "xml" } })).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-xml" });
        await Api.Settled(api => api.Assign("P1", "ASSY"));
        var files = await Wait.Until(() => Task.FromResult(Directory.Exists(drop) && Directory.GetFiles(drop, "*.xml").Length == 2
            ? Directory.GetFiles(drop, "*.xml") : null), "both XML files");

        var parsed = JsonNode.Parse(await Python(files))!.AsArray().Select(f => f!).ToList();

        parsed.ShouldAllBe(f => f["head"]!.GetValue<string>().StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        parsed.ShouldAllBe(f => f["root"]!.GetValue<string>() == "plantBom");
        parsed.Select(f => f["key"]!.GetValue<string>() + ".xml").ShouldBe(files.Select(Path.GetFileName), ignoreOrder: true);
        var seal = parsed.Single(f => f["partNumber"]!.GetValue<string>() == "SEAL");
        seal["description"]!.GetValue<string>().ShouldBe(Hostile);
        parsed.Single(f => f["partNumber"]!.GetValue<string>() == "ASSY")["components"]!.AsArray()
            .Select(c => c!.GetValue<string>()).ShouldBe(["SEAL"]);
    }

    private static async Task<string> Python(IEnumerable<string> files)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Reader);
        foreach (var file in files) start.ArgumentList.Add(file);
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        python.ExitCode.ShouldBe(0, $"the XML parser refused a file: {await errors}");
        return await output;
    }
}
