using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Erp;

/// <summary>
/// A release whose parts carry compliance, approved manufacturers and a routing arrives at the plant's ERP whole, over
/// each channel: the plant's work centers, the instance's field names and unit codes applied to all of it.
/// </summary>
public sealed class when_a_release_with_routings_reaches_the_erp(HubFixture fixture) : TestErpScenario(fixture)
{
    private const string Hostile = "@SUM(A1:A9)";

    /// <summary>PUMP (10 HOUSING, 20 SEAL) is assembled at WC-ASSY and pressure tested at WC-TEST; the seal has two sources.</summary>
    public static object Release() => Package("REL-ROUTED", "2026-02-01T08:00:00Z",
        new
        {
            partNumber = "PUMP", revision = "A", description = "Pump", unit = "EA", type = "make", effectiveFrom = "2026-02-01",
            compliance = new { rohs = true, reach = false, countryOfOrigin = "DE" },
            approvedManufacturers = new[] { new { manufacturer = "Pumpwerk", manufacturerPartNumber = "PW-1" } },
            bom = new[] { Line(10, "HOUSING", 1), Line(20, "SEAL", 2) },
            operations = new object[]
            {
                new { operationNumber = 10, description = "Assemble housing and seal", workCenter = "WC-ASSY", setupMinutes = 20, runMinutes = 35,
                      consumes = new[] { 10, 20 } },
                new { operationNumber = 20, description = "Pressure test", workCenter = "WC-TEST", runMinutes = 15, runQuantity = 4,
                      cleanupMinutes = 2, batching = "wholeBatches", effectiveTo = "2026-06-01",
                      inspection = new[] { new { characteristic = "Test pressure held 60 s", nominal = 16, lowerLimit = 15.5, upperLimit = 16.5, unit = "bar" } } },
            },
        },
        new
        {
            partNumber = "SEAL", revision = "A", description = "Seal", unit = "EA", type = "buy", effectiveFrom = "2026-02-01",
            approvedManufacturers = new[] { new { manufacturer = Hostile, manufacturerPartNumber = "S-1" }, new { manufacturer = "Dichtwerk", manufacturerPartNumber = "DW-9" } },
        },
        Part("HOUSING", "A", "2026-02-01"));

    private static readonly object Mapping = new
    {
        version = "v1",
        fieldNames = new Dictionary<string, string> { ["partNumber"] = "MATNR", ["workCenter"] = "ARBPL", ["manufacturer"] = "MFRNR" },
        unitCodes = new Dictionary<string, string> { ["EA"] = "PCE", ["bar"] = "BAR" },
        plantCodes = new Dictionary<string, string> { ["P1"] = "1000" },
    };

    private async Task PlantP1BuildsThePump(object instance)
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        var configured = await Api.Send("PUT", "/api/v1/erp-instances/erp-routed", instance);
        configured.Status.ShouldBe(201, configured.ToString());
        (await Api.ConfigurePlant("P1", new
        {
            name = "Plant", erpInstance = "erp-routed",
            rules = new { workCenters = new Dictionary<string, string> { ["WC-ASSY"] = "P1-ASSY-2", ["WC-TEST"] = "P1-QA" } },
        })).Status.ShouldBe(201);
        await Api.Settled(api => api.Assign("P1", "PUMP"));
    }

    private async Task<string[]> Files(string folder, string extension) => await Wait.Until(() => Task.FromResult(
        Directory.Exists(folder) && Directory.GetFiles(folder, "*." + extension) is { Length: 3 } files ? files : null), $"three {extension} files");

    [Fact]
    public async Task over_http_the_json_carries_compliance_manufacturers_and_the_plant_routing_in_the_erps_names()
    {
        await PlantP1BuildsThePump(new { channel = "http", http = new { url = Erp.Url, timeoutSeconds = 5 }, mapping = Mapping });

        var pump = await Wait.Until(() => Task.FromResult(
            Erp.Requests.Select(r => r.Body).FirstOrDefault(b => b["item"]!["MATNR"]!.GetValue<string>() == "PUMP")), "the pump's delivery");

        var item = pump["item"]!;
        (item["rohs"]!.GetValue<bool>(), item["reach"]!.GetValue<bool>(), item["countryOfOrigin"]!.GetValue<string>()).ShouldBe((true, false, "DE"));
        pump["approvedManufacturers"]!.AsArray().Select(m => (m!["MFRNR"]!.GetValue<string>(), m["manufacturerPartNumber"]!.GetValue<string>()))
            .ShouldBe([("Pumpwerk", "PW-1")]);
        var operations = pump["routing"]!.AsArray().Select(o => o!).ToList();
        operations.Select(o => (o["operationNumber"]!.GetValue<int>(), o["ARBPL"]!.GetValue<string>(), o["canonicalWorkCenter"]!.GetValue<string>()))
            .ShouldBe([(10, "P1-ASSY-2", "WC-ASSY"), (20, "P1-QA", "WC-TEST")]);
        operations[0]["consumes"]!.AsArray().Select(f => f!.GetValue<int>()).ShouldBe([10, 20]);
        (operations[0]["setupMinutes"]!.GetValue<decimal>(), operations[0]["runMinutes"]!.GetValue<decimal>(), operations[0]["batching"]!.GetValue<string>())
            .ShouldBe((20m, 35m, "linear"));
        var test = operations[1];
        (test["runQuantity"]!.GetValue<decimal>(), test["cleanupMinutes"]!.GetValue<decimal>(), test["batching"]!.GetValue<string>(), test["effectiveTo"]!.GetValue<string>())
            .ShouldBe((4m, 2m, "wholeBatches", "2026-06-01"));
        var pressure = test["inspection"]![0]!;
        (pressure["lowerLimit"]!.GetValue<decimal>(), pressure["upperLimit"]!.GetValue<decimal>(), pressure["unit"]!.GetValue<string>()).ShouldBe((15.5m, 16.5m, "BAR"));
        pump["documents"]!.AsArray().ShouldBeEmpty();
        var seal = Erp.Requests.Select(r => r.Body).Single(b => b["item"]!["MATNR"]!.GetValue<string>() == "SEAL");
        seal["approvedManufacturers"]!.AsArray().Select(m => m!["MFRNR"]!.GetValue<string>()).ShouldBe([Hostile, "Dichtwerk"]);
        seal["routing"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task as_a_csv_file_every_record_kind_arrives_mapped_with_formulas_escaped()
    {
        var drop = Path.Combine(DropFolder, "erp-" + Guid.NewGuid().ToString("N"));
        await PlantP1BuildsThePump(new
        {
            channel = "file", file = new { dropFolder = Path.Combine(drop, "out"), ackFolder = Path.Combine(drop, "ack"), format = "csv" }, mapping = Mapping,
        });

        var files = (await Files(Path.Combine(drop, "out"), "csv")).Select(f => ErpFiles.ReadCsv(File.ReadAllText(f))).ToList();

        var pump = files.Single(f => f.Cell(f.Of("ITEM").Single(), "MATNR") == "PUMP");
        var item = pump.Of("ITEM").Single();
        (pump.Cell(item, "rohs"), pump.Cell(item, "reach"), pump.Cell(item, "countryOfOrigin"), pump.Cell(item, "unit"), pump.Cell(item, "plant"))
            .ShouldBe(("true", "false", "DE", "PCE", "1000"));
        pump.Of("AML").Select(r => (pump.Cell(r, "MATNR"), pump.Cell(r, "MFRNR"), pump.Cell(r, "manufacturerPartNumber"))).ShouldBe([("PUMP", "Pumpwerk", "PW-1")]);
        var operations = pump.Of("OPERATION");
        operations.Select(o => (pump.Cell(o, "operationNumber"), pump.Cell(o, "ARBPL"), pump.Cell(o, "canonicalWorkCenter")))
            .ShouldBe([("10", "P1-ASSY-2", "WC-ASSY"), ("20", "P1-QA", "WC-TEST")]);
        pump.List(operations[0], "consumes").Select(f => f!.GetValue<int>()).ShouldBe([10, 20]);
        (pump.Cell(operations[1], "runQuantity"), pump.Cell(operations[1], "batching"), pump.Cell(operations[1], "effectiveTo")).ShouldBe(("4", "wholeBatches", "2026-06-01"));
        var pressure = pump.List(operations[1], "inspection")[0]!;
        (pressure["nominal"]!.GetValue<decimal>(), pressure["lowerLimit"]!.GetValue<decimal>(), pressure["upperLimit"]!.GetValue<decimal>(), pressure["unit"]!.GetValue<string>())
            .ShouldBe((16m, 15.5m, 16.5m, "BAR"));
        var seal = files.Single(f => f.Cell(f.Of("ITEM").Single(), "MATNR") == "SEAL");
        seal.Of("AML").Select(r => seal.Cell(r, "MFRNR")).ShouldBe(["'" + Hostile, "Dichtwerk"]);
    }

    [Fact]
    public async Task as_an_xml_file_every_record_kind_arrives_mapped_and_parses_strictly()
    {
        var drop = Path.Combine(DropFolder, "erp-" + Guid.NewGuid().ToString("N"));
        await PlantP1BuildsThePump(new
        {
            channel = "file", file = new { dropFolder = Path.Combine(drop, "out"), ackFolder = Path.Combine(drop, "ack"), format = "xml" }, mapping = Mapping,
        });

        var files = (await Files(Path.Combine(drop, "out"), "xml")).Select(f => ErpFiles.ReadXml(File.ReadAllBytes(f)).Root!).ToList();

        var pump = files.Single(f => (string)f.Element("item")!.Element("MATNR")! == "PUMP");
        ((string)pump.Attribute("plant")!, (string)pump.Element("item")!.Element("rohs")!, (string)pump.Element("item")!.Element("reach")!)
            .ShouldBe(("1000", "true", "false"));
        pump.Element("approvedManufacturers")!.Elements("approvedManufacturer").Select(m => (string)m.Element("MFRNR")!).ShouldBe(["Pumpwerk"]);
        var operations = pump.Element("routing")!.Elements("operation").ToList();
        operations.Select(o => ((int)o.Element("operationNumber")!, (string)o.Element("ARBPL")!)).ShouldBe([(10, "P1-ASSY-2"), (20, "P1-QA")]);
        operations[0].Element("consumes")!.Elements("findNumber").Select(f => (int)f).ShouldBe([10, 20]);
        var pressure = operations[1].Element("inspection")!.Element("inspectionCharacteristic")!;
        ((decimal)pressure.Element("lowerLimit")!, (decimal)pressure.Element("upperLimit")!, (string)pressure.Element("unit")!).ShouldBe((15.5m, 16.5m, "BAR"));
        ((string)operations[1].Element("batching")!, (decimal)operations[1].Element("runQuantity")!).ShouldBe(("wholeBatches", 4m));
    }
}
