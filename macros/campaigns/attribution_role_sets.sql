{#- The weights each attribution model deals for each conversion kind,
    fallbacks resolved (W_SHAPED and FULL_PATH deal as U_SHAPED for
    CONTACT_CREATE, FULL_PATH as W_SHAPED for DEAL_CREATE; see
    attribution_models). Returns {'MODEL|KIND': {'method': ..., 'weights':
    {first, last, lead, deal, won, others: thousandths}}}. -#}
{% macro attribution_dealt_weights() -%}
    {%- set models_by_name = {} -%}
    {%- for attribution_model in attribution_models() -%}
        {%- do models_by_name.update({attribution_model['name']: attribution_model}) -%}
    {%- endfor -%}
    {%- set dealt = {} -%}
    {%- for attribution_model in attribution_models() -%}
        {%- for conversion_kind in attribution_conversion_kinds() -%}
            {%- set dealt_as = models_by_name[
                attribution_model.get('fallbacks', {}).get(conversion_kind, attribution_model['name'])
            ] -%}
            {%- set weights = {} -%}
            {%- for role_name in ['first', 'last', 'lead', 'deal', 'won', 'others'] -%}
                {%- do weights.update({role_name: dealt_as['weights'].get(role_name, 0)}) -%}
            {%- endfor -%}
            {%- do dealt.update({
                attribution_model['name'] ~ '|' ~ conversion_kind:
                {'method': dealt_as['method'], 'weights': weights}
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(dealt) }}
{%- endmacro %}

{#- Which touchpoints are a model's "others" (attribution step 3): those that
    hold none of the roles the model deals a share to for a conversion kind
    (fallbacks resolved, as attribution_dealt_weights). Returns
    {'columns': {column name: [roles]}, 'column_of': {'MODEL|KIND': column name}}:
    one column per distinct role set, so that int_attribution_credits_dealt
    counts the others of every model once per pool. -#}
{% macro attribution_role_sets() -%}
    {%- set role_names = ['first', 'last', 'lead', 'deal', 'won'] -%}
    {%- set columns = {} -%}
    {%- set column_of = {} -%}
    {%- for model_and_kind, dealt in attribution_dealt_weights().items() -%}
        {%- set held = [] -%}
        {%- for role_name in role_names if dealt['weights'][role_name] > 0 -%}
            {%- do held.append(role_name) -%}
        {%- endfor -%}
        {%- set column = 'others_without_' ~ (held | join('_') or 'roles') -%}
        {%- do columns.update({column: held}) -%}
        {%- do column_of.update({model_and_kind: column}) -%}
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
