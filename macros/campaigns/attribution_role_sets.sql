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
    of the pool hold none of its roles, from the pool's size and the
    touchpoint holding each role (columns pool_size and <role>_touchpoint_id;
    first and last are always held, lead, deal and won may be null): the pool
    less the distinct holders of the set's roles. -#}
{% macro attribution_others_counts() -%}
    {%- set items = [] -%}
    {%- for column, held in attribution_role_sets()['columns'].items() -%}
        {%- set holders = [] -%}
        {%- for role_name in held -%}
            {%- set holder = role_name ~ '_touchpoint_id' -%}
            {%- set conditions = [] if role_name in ['first', 'last'] else [holder ~ ' is not null'] -%}
            {%- for earlier in held[:loop.index0] -%}
                {%- set earlier_holder = earlier ~ '_touchpoint_id' -%}
                {%- if earlier in ['first', 'last'] -%}
                    {%- do conditions.append(holder ~ ' <> ' ~ earlier_holder) -%}
                {%- else -%}
                    {%- do conditions.append(
                        '(' ~ earlier_holder ~ ' is null or ' ~ holder ~ ' <> ' ~ earlier_holder ~ ')'
                    ) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do holders.append(
                'case when ' ~ conditions | join(' and ') ~ ' then 1 else 0 end' if conditions else '1'
            ) -%}
        {%- endfor -%}
        {%- do items.append(
            'pool_size' ~ (' - (' ~ holders | join(' + ') ~ ')' if holders else '') ~ ' as ' ~ column
        ) -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}
