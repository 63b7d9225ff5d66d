using NodaTime;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Erp;

/// <summary>
/// CSV injection (OWASP): people open the file channel's CSV in spreadsheet programs, which run a cell beginning
/// with = + - @ (or a tab or CR before one) as a formula. Read back by Python's csv module, as an import would.
/// </summary>
public sealed class when_a_csv_cell_looks_like_a_formula
{
    private static readonly string[] Hostile = ["=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+2", "\r=1+2"];

    private static ErpPayload Payload(ErpMapping? mapping = null)
    {
        var from = new LocalDate(2026, 1, 10);
        var item = new PlantItem("KIT-1", "A", Hostile[0], "EA", Procurement.Make, 1m, "EA", from, new ComplianceAttributes(true, null, "DE"), [],
            new ReferenceDataItem("KIT-1", 12.5m, "EUR", Hostile[3], 5, Hostile[4]));
        var lines = new[]
        {
            new StructureLine(10, "WASHER", 2m, "EA", new Effectivity(from, null), [Hostile[1]], []),
            new StructureLine(20, "SHIM", 0.5m, "EA", new Effectivity(from, null), [Hostile[5]], []),
        };
        var publication = new PlantBomPublished("P1", "KIT-1", "A", 1, "hash", item, lines, "test", Instant.FromUtc(2026, 1, 10, 8, 0));
        return new ErpPayload(mapping ?? new ErpMapping("v1", new Dictionary<string, string>(), new Dictionary<string, string>(),
            new Dictionary<string, string> { ["P1"] = Hostile[2] }), "key-1", publication);
    }

    private static async Task<List<string>> Cells(string csv) => (await PythonCsv.ReadAsync(csv)).SelectMany(row => row).ToList();

    [Fact]
    public async Task every_text_cell_starting_a_formula_starts_with_a_quote_and_numbers_stay_numbers()
    {
        var cells = await Cells(Payload().ToCsv());

        foreach (var hostile in Hostile) cells.ShouldContain("'" + hostile);
        cells.ShouldNotContain(c => Hostile.Contains(c));
        cells.Where(c => c.Length > 0 && "=+-@\t\r".Contains(c[0])).ShouldBeEmpty();
        cells.ShouldContain("12.5");
        cells.ShouldContain("0.5");
        cells.ShouldContain("2026-01-10");
    }

    [Fact]
    public async Task an_erp_that_needs_raw_values_gets_them_when_its_instance_turns_escaping_off()
    {
        var cells = await Cells(Payload().ToCsv(escapeFormulas: false));

        foreach (var hostile in Hostile) cells.ShouldContain(hostile);
        cells.ShouldNotContain(c => c.StartsWith('\''));
    }

    [Fact]
    public async Task renamed_fields_that_start_a_formula_are_escaped_in_the_header_too()
    {
        var mapping = new ErpMapping("v1", new Dictionary<string, string> { ["description"] = "=HYPERLINK(\"http://evil.example\")" },
            new Dictionary<string, string>(), new Dictionary<string, string>());

        var header = (await PythonCsv.ReadAsync(Payload(mapping).ToCsv()))[0];

        header.ShouldContain("'=HYPERLINK(\"http://evil.example\")");
    }
}
