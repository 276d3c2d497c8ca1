{#- True when a (lower-case) host is named by one of `names` (campaigns.md):
    a dot-less name names a host when one of the host's dot-separated labels
    equals it (`www.google.co.uk` by `google`); a dotted name when the host
    equals it or ends with `.` + it (`t.co`, not `microsoft.com`). Null host
    gives null (treated as false in a `case`). -#}
{% macro host_is_named_by(host, names) -%}
    (
    {%- for name in names %}
        {%- if '.' in name %}
        {{ host }} = '{{ name }}' or {{ host }} like '%.{{ name }}'
        {%- else %}
        {{ dbt.concat(["'.'", host, "'.'"]) }} like '%.{{ name }}.%'
        {%- endif %}
        {{- " or" if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}
