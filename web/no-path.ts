// node:path for the page's bundle: the core imports it only to look for a configuration file on
// disk, which the page never does.
const none = (): never => {
  throw new Error('本页面不读取磁盘上的配置文件');
};
export default { resolve: none, join: none, dirname: none };
