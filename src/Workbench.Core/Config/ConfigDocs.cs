using System.Reflection;
using System.Text;

namespace Workbench.Config;

/// <summary>Reference documentation of a config kind generated from the records: key, type, default, description.</summary>
public static class ConfigDocs
{
    /// <summary>Every key of a root config record (<see cref="ConfigKindAttribute"/>) with type, default and meaning.</summary>
    public static string Describe(Type type)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"kind: {ConfigKindAttribute.Of(type)}");
        Append(sb, type, Activator.CreateInstance(type)!, "");
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Type type, object defaults, string prefix)
    {
        foreach (var property in ConfigBinder.BindableProperties(type))
        {
            string key = prefix + ConfigBinder.KeyOf(property);
            object? value = property.GetValue(defaults);
            string doc = property.GetCustomAttribute<DocAttribute>()?.Text ?? "";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            bool nested = propertyType.IsClass && propertyType != typeof(string) && !propertyType.IsGenericType && !propertyType.IsArray;
            if (nested && value != null)
            {
                sb.AppendLine($"{key}:{(doc.Length > 0 ? "  # " + doc : "")}");
                Append(sb, propertyType, value, key + ".");
                continue;
            }
            string required = property.GetCustomAttribute<RequiredKeyAttribute>() != null ? " (required)" : "";
            string shown = value switch
            {
                null => "null",
                string s => $"'{s}'",
                bool b => b ? "true" : "false",
                Enum e => ConfigBinder.EnumKeys(e.GetType()).ElementAt(Array.IndexOf(Enum.GetValues(e.GetType()), e)),
                System.Collections.ICollection c => c.Count == 0 ? "[]" : $"[{c.Count} items]",
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            sb.AppendLine($"{key}: {ConfigBinder.Describe(propertyType)} = {shown}{required}{(doc.Length > 0 ? "  # " + doc : "")}");
        }
    }
}
