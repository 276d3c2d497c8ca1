{#- Which touchpoints are a model's "others" (attribution step 3): those that
    hold none of the roles the model deals a share to for a conversion kind
    (fallbacks resolved, as attribution_model_weights). Returns
    {'columns': {column name: [roles]}, 'column_of': {'MODEL|KIND': column name}}:
    one column per distinct role set, so that int_attribution_credits_dealt
    counts the others of every model once per pool, before the pool is
    multiplied by the nine models. -#}
{% macro attribution_role_sets() -%}
    {%- set role_names = ['first', 'last', 'lead', 'deal', 'won'] -%}
    {%- set models_by_name = {} -%}
    {%- for attribution_model in attribution_models() -%}
        {%- do models_by_name.update({attribution_model['name']: attribution_model}) -%}
    {%- endfor -%}
    {%- set columns = {} -%}
    {%- set column_of = {} -%}
    {%- for attribution_model in attribution_models() -%}
        {%- for conversion_kind in attribution_conversion_kinds() -%}
            {%- set dealt_as = models_by_name[
                attribution_model.get('fallbacks', {}).get(conversion_kind, attribution_model['name'])
            ] -%}
            {%- set held = [] -%}
            {%- for role_name in role_names if dealt_as['weights'].get(role_name, 0) > 0 -%}
                {%- do held.append(role_name) -%}
            {%- endfor -%}
            {%- set column = 'others_without_' ~ (held | join('_') or 'roles') -%}
            {%- do columns.update({column: held}) -%}
            {%- do column_of.update({attribution_model['name'] ~ '|' ~ conversion_kind: column}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return({'columns': columns, 'column_of': column_of}) }}
{%- endmacro %}

{#- One column per role set of attribution_role_sets(): how many touchpoints
    of the pool (`over`, a window) hold none of its roles. -#}
{% macro attribution_others_counts(over) -%}
    {%- set items = [] -%}
    {%- for column, held in attribution_role_sets()['columns'].items() -%}
        {%- set holds_one = [] -%}
        {%- for role_name in held -%}
            {%- do holds_one.append('is_' ~ role_name ~ '_touch') -%}
        {%- endfor -%}
        {%- do items.append(
            'sum(case when ' ~ (holds_one | join(' or ') or 'false') ~ ' then 0 else 1 end) over ('
            ~ over ~ ') as ' ~ column
        ) -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}
