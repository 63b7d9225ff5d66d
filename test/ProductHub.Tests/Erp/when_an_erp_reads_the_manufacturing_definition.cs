using System.Text.Json;
using System.Xml.Linq;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Erp;

/// <summary>
/// The whole manufacturing definition in each format an ERP takes: the item's compliance and approved manufacturers,
/// the plant routing and the documents the plant needs, read back by parsers of the receiver's own.
/// </summary>
public sealed class when_an_erp_reads_the_manufacturing_definition
{
    private static readonly LocalDate From = new(2026, 2, 1);
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string Assembly = "Assemble housing, \"seal\" kit\nand motor; 100% torque";

    private static readonly ErpMapping Canonical = new("v1", new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>());

    private static readonly ErpMapping Sap = new("v2",
        new Dictionary<string, string>
        {
            ["partNumber"] = "MATNR", ["workCenter"] = "ARBPL", ["manufacturer"] = "MFRNR", ["routing"] = "OPERATIONS",
            ["operation"] = "VORNR", ["characteristic"] = "MERKMAL", ["consumes"] = "COMPONENTS", ["rohs"] = "ROHS",
        },
        new Dictionary<string, string> { ["EA"] = "PCE", ["bar"] = "BAR" },
        new Dictionary<string, string> { ["P1"] = "1000" });

    private static PlantBomPublished Publication(string assembly = Assembly, string manufacturer = "Grundfos", bool withRouting = true)
    {
        var item = new PlantItem("PUMP", "A", "Pump", "EA", Procurement.Make, 1m, "EA", From, new ComplianceAttributes(true, false, "DE"),
            [new ApprovedManufacturer(manufacturer, "GF-100"), new ApprovedManufacturer("KSB", "KSB-7")], null);
        StructureLine Line(int findNumber, string part) => new(findNumber, part, 1m, "EA", new Effectivity(From, null), [], []);
        PlantOperation[] routing =
        [
            new(10, assembly, "P1-ASSY-2", "WC-ASSY", new OperationTimes(20m, 35m, 1m, 5m, OperationBatching.Linear), new Effectivity(From, null),
                [10, 20], [], [new DocumentReference("WI-100", "B")]),
            new(20, "Pressure test", "P1-QA", "WC-TEST", new OperationTimes(10m, 15m, 4m, 0m, OperationBatching.WholeBatches),
                new Effectivity(From, new LocalDate(2026, 6, 1)), [],
                [new InspectionCharacteristic("Test pressure held 60 s", 16m, 15.5m, 16.5m, "bar"), new InspectionCharacteristic("Leak, visual", null, null, null, null)]),
        ];
        DocumentRevision[] documents = [new("WI-100", "B", "Assembly instruction", "workInstruction", "https://plm.example/docs/WI-100/B.pdf", Sha)];
        return new PlantBomPublished("P1", "PUMP", "A", 3, Sha, item, [Line(10, "HOUSING"), Line(20, "SEALKIT")], "test",
            Instant.FromUtc(2026, 2, 1, 8, 0), withRouting ? routing : null, withRouting ? documents : null);
    }

    private static ErpPayload Payload(ErpMapping? mapping = null, PlantBomPublished? publication = null) =>
        new(mapping ?? Canonical, new string('c', 64), publication ?? Publication());

    private static JsonElement Json(ErpPayload payload)
    {
        using var json = JsonDocument.Parse(payload.ToJson());
        ContractSchema.Get("erp/v1/plant-bom-delivery.schema.json").Validate(json.RootElement).ShouldBeEmpty();
        return json.RootElement.Clone();
    }

    [Fact]
    public void the_json_keeps_to_the_delivery_schema_and_carries_compliance_manufacturers_routing_and_documents()
    {
        var json = Json(Payload());

        var item = json.GetProperty("item");
        (item.GetProperty("rohs").GetBoolean(), item.GetProperty("reach").GetBoolean(), item.GetProperty("countryOfOrigin").GetString())
            .ShouldBe((true, false, "DE"));
        json.GetProperty("approvedManufacturers").EnumerateArray()
            .Select(m => (m.GetProperty("manufacturer").GetString(), m.GetProperty("manufacturerPartNumber").GetString()))
            .ShouldBe([("Grundfos", "GF-100"), ("KSB", "KSB-7")]);
        var (assembly, test) = (json.GetProperty("routing")[0], json.GetProperty("routing")[1]);
        assembly.GetProperty("description").GetString().ShouldBe(Assembly);
        (assembly.GetProperty("workCenter").GetString(), assembly.GetProperty("canonicalWorkCenter").GetString()).ShouldBe(("P1-ASSY-2", "WC-ASSY"));
        (assembly.GetProperty("setupMinutes").GetDecimal(), assembly.GetProperty("runMinutes").GetDecimal(), assembly.GetProperty("runQuantity").GetDecimal(),
            assembly.GetProperty("cleanupMinutes").GetDecimal()).ShouldBe((20m, 35m, 1m, 5m));
        assembly.GetProperty("batching").GetString().ShouldBe("linear");
        assembly.GetProperty("consumes").EnumerateArray().Select(f => f.GetInt32()).ShouldBe([10, 20]);
        assembly.GetProperty("documents")[0].GetProperty("documentNumber").GetString().ShouldBe("WI-100");
        assembly.GetProperty("effectiveTo").ValueKind.ShouldBe(JsonValueKind.Null);
        (test.GetProperty("batching").GetString(), test.GetProperty("effectiveFrom").GetString(), test.GetProperty("effectiveTo").GetString())
            .ShouldBe(("wholeBatches", "2026-02-01", "2026-06-01"));
        var pressure = test.GetProperty("inspection")[0];
        (pressure.GetProperty("characteristic").GetString(), pressure.GetProperty("nominal").GetDecimal(), pressure.GetProperty("lowerLimit").GetDecimal(),
            pressure.GetProperty("upperLimit").GetDecimal(), pressure.GetProperty("unit").GetString()).ShouldBe(("Test pressure held 60 s", 16m, 15.5m, 16.5m, "bar"));
        test.GetProperty("inspection")[1].GetProperty("nominal").ValueKind.ShouldBe(JsonValueKind.Null);
        test.GetProperty("documents").GetArrayLength().ShouldBe(0);
        var document = json.GetProperty("documents").EnumerateArray().Single();
        (document.GetProperty("documentNumber").GetString(), document.GetProperty("revision").GetString(), document.GetProperty("title").GetString(),
            document.GetProperty("kind").GetString(), document.GetProperty("uri").GetString(), document.GetProperty("sha256").GetString())
            .ShouldBe(("WI-100", "B", "Assembly instruction", "workInstruction", "https://plm.example/docs/WI-100/B.pdf", Sha));
    }

    [Fact]
    public void a_publication_from_before_routings_and_documents_is_sent_with_empty_lists()
    {
        var publication = Publication(withRouting: false);

        var json = Json(Payload(publication: publication));
        var csv = ErpFiles.ReadCsv(Payload(publication: publication).ToCsv());
        var xml = ErpFiles.ReadXml(Payload(publication: publication).ToXml()).Root!;

        json.GetProperty("routing").GetArrayLength().ShouldBe(0);
        json.GetProperty("documents").GetArrayLength().ShouldBe(0);
        csv.Rows.Select(r => r[0]).ShouldBe(["ITEM", "BOM", "BOM", "AML", "AML"]);
        xml.Element("routing")!.Elements().ShouldBeEmpty();
        xml.Element("documents")!.Elements().ShouldBeEmpty();
    }

    [Fact]
    public void the_csv_read_by_an_independent_parser_gives_back_every_record_and_an_operations_lists()
    {
        var csv = ErpFiles.ReadCsv(Payload().ToCsv());

        // v1's columns keep their places: an import that reads them by position reads what it read before.
        string.Join(",", csv.Header.Take(24)).ShouldBe(
            "record,idempotencyKey,plant,partNumber,revision,description,unit,procurement,baseQuantity,baseUnit,effectiveFrom,countryOfOrigin," +
            "standardCost,currency,preferredSupplier,leadTimeDays,storageLocation,findNumber,component,quantity,componentUnit,effectiveFrom,effectiveTo,referenceDesignators");
        csv.Rows.Select(r => r[0]).ShouldBe(["ITEM", "BOM", "BOM", "AML", "AML", "OPERATION", "OPERATION", "DOCUMENT"]);
        var item = csv.Of("ITEM").Single();
        (csv.Cell(item, "rohs"), csv.Cell(item, "reach"), csv.Cell(item, "countryOfOrigin"), csv.Cell(item, "description")).ShouldBe(("true", "false", "DE", "Pump"));
        csv.Of("AML").Select(r => (csv.Cell(r, "partNumber"), csv.Cell(r, "manufacturer"), csv.Cell(r, "manufacturerPartNumber")))
            .ShouldBe([("PUMP", "Grundfos", "GF-100"), ("PUMP", "KSB", "KSB-7")]);
        var (assembly, test) = (csv.Of("OPERATION")[0], csv.Of("OPERATION")[1]);
        (csv.Cell(assembly, "operationNumber"), csv.Cell(assembly, "description"), csv.Cell(assembly, "workCenter"), csv.Cell(assembly, "canonicalWorkCenter"))
            .ShouldBe(("10", Assembly, "P1-ASSY-2", "WC-ASSY"));
        (csv.Cell(assembly, "setupMinutes"), csv.Cell(assembly, "runMinutes"), csv.Cell(assembly, "runQuantity"), csv.Cell(assembly, "cleanupMinutes"),
            csv.Cell(assembly, "batching")).ShouldBe(("20", "35", "1", "5", "linear"));
        csv.List(assembly, "consumes").Select(f => f!.GetValue<int>()).ShouldBe([10, 20]);
        csv.List(assembly, "documents").Select(d => (d!["documentNumber"]!.GetValue<string>(), d["revision"]!.GetValue<string>())).ShouldBe([("WI-100", "B")]);
        (csv.Cell(test, "effectiveFrom"), csv.Cell(test, "effectiveTo"), csv.Cell(test, "batching")).ShouldBe(("2026-02-01", "2026-06-01", "wholeBatches"));
        var pressure = csv.List(test, "inspection")[0]!;
        (pressure["characteristic"]!.GetValue<string>(), pressure["nominal"]!.GetValue<decimal>(), pressure["lowerLimit"]!.GetValue<decimal>(),
            pressure["upperLimit"]!.GetValue<decimal>(), pressure["unit"]!.GetValue<string>()).ShouldBe(("Test pressure held 60 s", 16m, 15.5m, 16.5m, "bar"));
        csv.List(test, "inspection")[1]!["characteristic"]!.GetValue<string>().ShouldBe("Leak, visual");
        var document = csv.Of("DOCUMENT").Single();
        (csv.Cell(document, "partNumber"), csv.Cell(document, "documentNumber"), csv.Cell(document, "revision"), csv.Cell(document, "title"),
            csv.Cell(document, "kind"), csv.Cell(document, "uri"), csv.Cell(document, "sha256"))
            .ShouldBe(("PUMP", "WI-100", "B", "Assembly instruction", "workInstruction", "https://plm.example/docs/WI-100/B.pdf", Sha));
        csv.Cell(csv.Of("BOM")[1], "component").ShouldBe("SEALKIT");
    }

    [Fact]
    public void the_xml_read_by_a_strict_parser_gives_back_every_record_and_an_operations_lists()
    {
        var root = ErpFiles.ReadXml(Payload().ToXml()).Root!;

        (root.Element("item")!.Element("rohs")!.Value, root.Element("item")!.Element("reach")!.Value).ShouldBe(("true", "false"));
        root.Element("approvedManufacturers")!.Elements("approvedManufacturer").Select(m => (string)m.Element("manufacturer")!).ShouldBe(["Grundfos", "KSB"]);
        var operations = root.Element("routing")!.Elements("operation").ToList();
        var (assembly, test) = (operations[0], operations[1]);
        ((string)assembly.Element("description")!, (string)assembly.Element("workCenter")!, (decimal)assembly.Element("setupMinutes")!)
            .ShouldBe((Assembly, "P1-ASSY-2", 20m));
        assembly.Element("consumes")!.Elements("findNumber").Select(f => (int)f).ShouldBe([10, 20]);
        assembly.Element("documents")!.Elements("document").Select(d => ((string)d.Element("documentNumber")!, (string)d.Element("revision")!))
            .ShouldBe([("WI-100", "B")]);
        assembly.Element("effectiveTo").ShouldBeNull();
        var pressure = test.Element("inspection")!.Elements("inspectionCharacteristic").First();
        ((string)pressure.Element("characteristic")!, (decimal)pressure.Element("lowerLimit")!, (decimal)pressure.Element("upperLimit")!, (string)pressure.Element("unit")!)
            .ShouldBe(("Test pressure held 60 s", 15.5m, 16.5m, "bar"));
        test.Element("inspection")!.Elements().Last().Elements().Select(e => e.Name.LocalName).ShouldBe(["characteristic"]);
        var document = root.Element("documents")!.Elements("document").Single();
        ((string)document.Element("kind")!, (string)document.Element("sha256")!).ShouldBe(("workInstruction", Sha));
    }

    [Fact]
    public void the_instances_field_names_and_unit_codes_apply_to_the_new_fields_in_every_format()
    {
        var json = JsonDocument.Parse(Payload(Sap).ToJson()).RootElement;
        var csv = ErpFiles.ReadCsv(Payload(Sap).ToCsv());
        var xml = ErpFiles.ReadXml(Payload(Sap).ToXml()).Root!;

        json.GetProperty("item").GetProperty("ROHS").GetBoolean().ShouldBeTrue();
        json.GetProperty("approvedManufacturers")[0].GetProperty("MFRNR").GetString().ShouldBe("Grundfos");
        json.GetProperty("OPERATIONS")[0].GetProperty("ARBPL").GetString().ShouldBe("P1-ASSY-2");
        json.GetProperty("OPERATIONS")[0].GetProperty("COMPONENTS").EnumerateArray().Select(f => f.GetInt32()).ShouldBe([10, 20]);
        var pressure = json.GetProperty("OPERATIONS")[1].GetProperty("inspection")[0];
        (pressure.GetProperty("MERKMAL").GetString(), pressure.GetProperty("unit").GetString()).ShouldBe(("Test pressure held 60 s", "BAR"));

        var operation = csv.Of("OPERATION")[1];
        (csv.Cell(operation, "MATNR"), csv.Cell(operation, "ARBPL"), csv.Cell(operation, "plant")).ShouldBe(("PUMP", "P1-QA", "1000"));
        csv.List(operation, "inspection")[0]!["unit"]!.GetValue<string>().ShouldBe("BAR");
        csv.Cell(csv.Of("AML")[0], "MFRNR").ShouldBe("Grundfos");
        csv.Cell(csv.Of("ITEM").Single(), "ROHS").ShouldBe("true");

        var operations = xml.Element("OPERATIONS")!.Elements("VORNR").ToList();
        operations.Select(o => (string)o.Element("ARBPL")!).ShouldBe(["P1-ASSY-2", "P1-QA"]);
        ((string)operations[1].Element("inspection")!.Elements().First().Element("unit")!).ShouldBe("BAR");
        operations[0].Element("COMPONENTS")!.Elements("findNumber").Select(f => (int)f).ShouldBe([10, 20]);
    }

    [Fact]
    public void an_operation_or_manufacturer_that_looks_like_a_formula_reaches_the_csv_escaped()
    {
        var csv = ErpFiles.ReadCsv(Payload(publication: Publication(assembly: "=cmd|' /C calc'!A0", manufacturer: "@SUM(A1:A9)")).ToCsv());

        csv.Cell(csv.Of("OPERATION")[0], "description").ShouldBe("'=cmd|' /C calc'!A0");
        csv.Cell(csv.Of("AML")[0], "manufacturer").ShouldBe("'@SUM(A1:A9)");
        csv.Rows.SelectMany(r => r).Where(c => c.Length > 0 && "=+-@\t\r".Contains(c[0])).ShouldBeEmpty();
    }

    [Fact]
    public void an_operation_description_xml_cannot_carry_is_delivered_escaped()
    {
        // Intake refuses such text; a publication made from data stored before that must still be delivered.
        var xml = Payload(publication: Publication(assembly: "Assemble\u0001 \uD800 \uFFFF")).ToXml();

        var root = ErpFiles.ReadXml(new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(xml)).Root!;

        ((string)root.Element("routing")!.Element("operation")!.Element("description")!).ShouldBe("Assemble\\u0001 \\uD800 \\uFFFF");
    }
}
