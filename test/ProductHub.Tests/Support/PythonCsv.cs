using System.Diagnostics;
using System.Text.Json;

namespace ProductHub.Tests.Support;

/// <summary>Python's csv module as an independent reader: the cells a spreadsheet import would see.</summary>
public static class PythonCsv
{
    private const string Script =
        "import csv, io, json, sys; print(json.dumps(list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8-sig', newline='')))))";

    public static async Task<List<List<string>>> ReadAsync(string csv)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var python = Process.Start(start)!;
        await python.StandardInput.WriteAsync(csv);
        python.StandardInput.Close();
        var output = await python.StandardOutput.ReadToEndAsync();
        await python.WaitForExitAsync();
        python.ExitCode.ShouldBe(0, await python.StandardError.ReadToEndAsync());
        return JsonSerializer.Deserialize<List<List<string>>>(output)!;
    }
}
