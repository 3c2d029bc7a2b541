-- Neovim 0.7 as a third-party LSP client: diagnostics for a report, then the quick fix applied
-- through vim.lsp.util.apply_workspace_edit, and the buffer written back.
local file, server, out = os.getenv('NB_FILE'), os.getenv('NB_SERVER'), os.getenv('NB_OUT')
vim.cmd('edit ' .. file)
local id = vim.lsp.start_client({ cmd = { 'node', server, '--stdio' }, root_dir = vim.fn.fnamemodify(file, ':h') })
vim.lsp.buf_attach_client(0, id)
local ok = vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format('%d:%s:%s', d.lnum + 1, d.code or '', d.message))
end
local client = vim.lsp.get_client_by_id(id)
for _, d in ipairs(vim.diagnostic.get(0)) do
  if d.code == 'row-missing' then
    local params = { textDocument = vim.lsp.util.make_text_document_params(0),
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
      context = { diagnostics = {} } }
    local resp = client.request_sync('textDocument/codeAction', params, 10000, 0)
    for _, a in ipairs((resp and resp.result) or {}) do
      if a.kind == 'quickfix' then
        vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16')
        table.insert(lines, 'applied:' .. a.title)
        break
      end
    end
  end
end
vim.fn.writefile(lines, out)
vim.cmd('write')
vim.lsp.stop_client(id)
vim.cmd('qa!')
