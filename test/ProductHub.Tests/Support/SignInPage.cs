using System.Text.RegularExpressions;

namespace ProductHub.Tests.Support;

/// <summary>The workbench's sign-in form as a browser reads it.</summary>
public static partial class SignInPage
{
    /// <summary>The form's antiforgery field: its name (<c>name</c>) and token (<c>value</c>), to post back with the sign-in.</summary>
    [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken[^"]*)" value="(?<value>[^"]+)">""")]
    public static partial Regex AntiforgeryField();
}
